package org.kernelrig.netconsole;

/**
 * Kernel records that did not arrive: sequence numbers {@code first..last}, inclusive.
 *
 * @param open true while a late datagram may still fill it (the patient has not restarted since)
 */
public record SequenceGap(long first, long last, boolean open) {

    public long count() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first == last ? Long.toString(first) : first + ".." + last;
    }
}
