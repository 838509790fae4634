package org.kernelrig.crash;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * A console log as it is stored: plain, or compressed as logrotate leaves {@code kern.log.2.gz} and
 * as logs are attached to bug reports (gzip, bzip2, xz). The format is told by the first bytes, not
 * by the file's name.
 */
public final class LogInput {

    private LogInput() {
    }

    /**
     * The log's text: the stream itself, or what it decompresses to.
     *
     * @throws IOException when the stream is compressed in a format rig does not read (zstd, lz4,
     *                     ...), with what to do instead
     */
    public static InputStream open(InputStream stored) throws IOException {
        InputStream in = new BufferedInputStream(stored, 1 << 16);
        String format;
        try {
            format = CompressorStreamFactory.detect(in);
        } catch (CompressorException e) {
            // not a compressed stream: a plain log
            return in;
        }
        switch (format) {
            case CompressorStreamFactory.GZIP, CompressorStreamFactory.BZIP2, CompressorStreamFactory.XZ -> {
                try {
                    // concatenated members, as "cat a.gz b.gz" makes, are one log
                    return new CompressorStreamFactory(true).createCompressorInputStream(format, in);
                } catch (CompressorException e) {
                    throw new IOException("not a readable " + format + " stream: " + e.getMessage(), e);
                }
            }
            case CompressorStreamFactory.ZSTANDARD, CompressorStreamFactory.LZ4_FRAMED, CompressorStreamFactory.LZMA,
                    CompressorStreamFactory.Z, CompressorStreamFactory.SNAPPY_FRAMED ->
                throw new IOException("compressed with " + format + ", which rig does not read (it reads gzip, bzip2 "
                        + "and xz): decompress it and pipe it in, for example: zstd -dc FILE | rig analyze -");
            default -> {
                // a raw zlib header is two bytes text can hold ("x^"): no log is stored that way
                return in;
            }
        }
    }
}
