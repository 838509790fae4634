package org.kernelrig.pstore;

/**
 * A record rig kept raw without decoding it, and why: a compressed record
 * the kernel could not decompress ({@code .enc.z}), a kind rig does not read,
 * binary data.
 */
public record UndecodedRecord(String fileName, long size, String reason) {
}
