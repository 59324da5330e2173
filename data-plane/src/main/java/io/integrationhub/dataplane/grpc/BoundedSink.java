package io.integrationhub.dataplane.grpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Collects at most {@code limit} bytes and fails on the next one, so a unary answer is never held past its limit. */
final class BoundedSink extends OutputStream {
    private final long limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    BoundedSink(long limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (bytes.size() + (long) length > limit) {
            throw new Full();
        }
        bytes.write(data, offset, length);
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    /** The limit was reached. */
    static final class Full extends IOException {
        Full() {
            super(null, null);
        }
    }
}
