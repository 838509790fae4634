package org.kernelrig.netconsole;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fixed-size memory between the receive thread and the writer thread:
 * one producer receives datagrams straight into it (no copy, no allocation),
 * one consumer takes them out in order. When it is full the producer is told
 * so and counts a drop; the ring never grows.
 *
 * <p>Each record: record length, length kept, sender number, the datagram's
 * true size, arrival time in microseconds, then the bytes kept, aligned to 8
 * bytes. A record length of -1 means "continue at the start".
 */
final class DatagramRing {

    /** The most bytes of one datagram a record holds. */
    static final int MAX_KEPT = ReceiveSocket.KEPT_BYTES;
    private static final int HEADER = 24;
    private static final int WRAP = -1;

    private final ByteBuffer buffer;
    private final ByteBuffer receiveView;
    private final int capacity;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();

    // Producer's own state.
    private long writeCursor;
    private long knownRead;
    private int claimedIndex = -1;

    // Consumer's own state.
    private long readCursor;
    private long knownWritten;

    DatagramRing(int capacityBytes) {
        int capacity = capacityBytes & ~7;
        if (capacity < 4 * (HEADER + MAX_KEPT)) {
            throw new IllegalArgumentException("a datagram ring needs at least " + 4 * (HEADER + MAX_KEPT) + " bytes");
        }
        this.capacity = capacity;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.receiveView = buffer.duplicate();
    }

    int capacity() {
        return capacity;
    }

    /**
     * Producer: room for the most a record keeps, as a buffer to put the
     * datagram into, or null when the ring is full.
     */
    ByteBuffer claim() {
        int index = (int) (writeCursor % capacity);
        int skip = capacity - index < HEADER + MAX_KEPT ? capacity - index : 0;
        long needed = skip + HEADER + MAX_KEPT;
        if (capacity - (writeCursor - knownRead) < needed) {
            knownRead = read.get();
            if (capacity - (writeCursor - knownRead) < needed) {
                return null;
            }
        }
        if (skip > 0) {
            buffer.putInt(index, WRAP);
            writeCursor += skip;
            index = 0;
        }
        claimedIndex = index;
        receiveView.limit(index + HEADER + MAX_KEPT).position(index + HEADER);
        return receiveView;
    }

    /** Producer: publishes the datagram put into the claimed buffer, which had this true size. */
    void commit(int sender, int size, long arrivalMicros) {
        int index = claimedIndex;
        int length = receiveView.position() - index - HEADER;
        int recordLength = (HEADER + length + 7) & ~7;
        buffer.putInt(index, recordLength);
        buffer.putInt(index + 4, length);
        buffer.putInt(index + 8, sender);
        buffer.putInt(index + 12, size);
        buffer.putLong(index + 16, arrivalMicros);
        writeCursor += recordLength;
        claimedIndex = -1;
        written.lazySet(writeCursor);
    }

    /**
     * Producer: makes every committed datagram visible with a full fence, so
     * that a look at the writer's "asleep" flag after it cannot be ordered
     * before it (see {@link WriterDoorbell}).
     */
    void publish() {
        written.set(writeCursor);
    }

    /** A record taken out of the ring by the consumer; its array is reused by the next take. */
    static final class Record {
        final byte[] data = new byte[MAX_KEPT];
        int length;
        /** The datagram's true size: more than length when only its beginning was kept. */
        int size;
        int sender;
        long arrivalMicros;
    }

    /** Consumer: copies the next datagram into the record, or returns false when there is none. */
    boolean take(Record into) {
        while (true) {
            if (readCursor == knownWritten) {
                knownWritten = written.get();
                if (readCursor == knownWritten) {
                    return false;
                }
            }
            int index = (int) (readCursor % capacity);
            int recordLength = buffer.getInt(index);
            if (recordLength == WRAP) {
                readCursor += capacity - index;
                continue;
            }
            into.length = buffer.getInt(index + 4);
            into.sender = buffer.getInt(index + 8);
            into.size = buffer.getInt(index + 12);
            into.arrivalMicros = buffer.getLong(index + 16);
            buffer.get(index + HEADER, into.data, 0, into.length);
            readCursor += recordLength;
            return true;
        }
    }

    /** Consumer: gives the space of the records taken back to the producer. */
    void release() {
        read.lazySet(readCursor);
    }

    /** Consumer: whether a record is waiting. */
    boolean isEmpty() {
        return readCursor == written.get();
    }

    /** Bytes in use; read from any thread, approximate. */
    long used() {
        return written.get() - read.get();
    }
}
