package io.integrationhub.dataplane.body;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Receives a body as it arrives and keeps it for as many reads as the call needs: the first
 * {@code memoryLimit} bytes in memory (each growth reserved from the instance's {@link MemoryBudget};
 * when the budget is short the rest goes to disk early), the remainder in a {@link SealedSpillFile}.
 * Write, then {@link #finish()}, then read; {@link #close()} gives the memory back and deletes the file.
 */
public final class BodyBuffer extends OutputStream implements Body {
    private static final int FIRST_BLOCK = 8 * 1024;

    private final MemoryBudget.Reservation memory;
    private final long memoryLimit;
    private final SealedSpillFile.Spills spills;
    private byte[] head = new byte[0];
    private int headSize;
    private SealedSpillFile spill;
    private long size;
    private boolean finished;
    private boolean closed;

    /**
     * @param memory the reservation that growth of the in-memory head is charged to (the caller's
     *     own, closed by the caller)
     * @param memoryLimit at most this many bytes in memory for this body
     */
    public BodyBuffer(MemoryBudget.Reservation memory, long memoryLimit, SealedSpillFile.Spills spills) {
        this.memory = memory;
        this.memoryLimit = memoryLimit;
        this.spills = spills;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (finished || closed) {
            throw new IOException("the body buffer is no longer writable");
        }
        size += length;
        if (spill == null) {
            int fits = (int) Math.min(length, memoryLimit - headSize);
            if (fits > 0 && ensureHead(headSize + fits)) {
                System.arraycopy(bytes, offset, head, headSize, fits);
                headSize += fits;
                offset += fits;
                length -= fits;
            }
            if (length == 0) {
                return;
            }
            spill = spills.create();
        }
        spill.write(bytes, offset, length);
    }

    /** Copies {@code in} to its end into this buffer, refusing past {@code maxBytes}. */
    public void receive(InputStream in, long maxBytes) throws IOException, TooLargeException {
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (size + n > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            write(buffer, 0, n);
        }
    }

    /** Ends writing; reads may start. */
    public BodyBuffer finish() {
        if (!finished) {
            finished = true;
            if (spill != null) {
                try {
                    spill.finish();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    /** Bytes held on disk (sealed) rather than in memory. */
    public long spilledBytes() {
        return spill == null ? 0 : spill.size();
    }

    @Override
    public InputStream open(long offset, long length) {
        if (!finished) {
            throw new IllegalStateException("finish the body before reading it");
        }
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range outside the body");
        }
        InputStream all;
        if (offset >= headSize) {
            all = spill.open(offset - headSize);
        } else {
            InputStream fromHead = new java.io.ByteArrayInputStream(head, (int) offset, headSize - (int) offset);
            all = spill == null ? fromHead : new SequenceInputStream(fromHead, spill.open(0));
        }
        return new Limited(all, length);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        head = null;
        if (spill != null) {
            spill.close();
        }
    }

    /** Grows the head to hold {@code needed} bytes, charging the budget; false when the budget says no. */
    private boolean ensureHead(int needed) {
        if (needed <= head.length) {
            return true;
        }
        long grown = Math.min(memoryLimit, Math.max(needed, Math.max(FIRST_BLOCK, (long) head.length * 2)));
        if (!memory.tryGrow(grown - head.length)) {
            return false;
        }
        head = Arrays.copyOf(head, (int) grown);
        return true;
    }

    /** The body is longer than the caller may send. */
    public static final class TooLargeException extends Exception {
        private final long limit;

        public TooLargeException(long limit) {
            super("larger than " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /** A view of at most {@code remaining} bytes. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long remaining;

        Limited(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(target, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
