package io.integrationhub.dataplane.body;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;

/**
 * A request body the pipeline can read as often as it has attempts, without holding it whole:
 * either bytes already in memory or a {@link BodyBuffer} (memory head, sealed spill file beyond).
 */
public interface Body extends AutoCloseable {
    Body EMPTY = of(new byte[0]);

    /** Exact length in bytes. */
    long size();

    /** The bytes from {@code offset}, {@code length} of them. */
    InputStream open(long offset, long length);

    /** The whole body from its first byte. */
    default InputStream open() {
        return open(0, size());
    }

    /** This body's bytes from {@code offset}, {@code length} of them, as a body of its own (sharing storage). */
    default Body slice(long offset, long length) {
        Body whole = this;
        if (offset < 0 || length < 0 || offset + length > size()) {
            throw new IllegalArgumentException("slice outside the body");
        }
        return new Body() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public InputStream open(long from, long count) {
                return whole.open(offset + from, count);
            }

            @Override
            public void close() {
                // the slice owns nothing: its parent is closed by whoever made it
            }
        };
    }

    /** Feeds every byte to {@code digest}, streaming. */
    default void digest(MessageDigest digest) {
        // No larger than the body: a keyed call's small JSON should not cost a 16 KiB buffer for its fingerprint.
        byte[] buffer = new byte[(int) Math.clamp(size(), 1, 16 * 1024)];
        try (InputStream in = open()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole body as one array: only where a documented bound allows it (a dead letter is sealed
     * whole; see {@code INTEGRATION_MAX_BODY_BYTES}).
     */
    default byte[] readAll() {
        if (size() > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("body too large to hold");
        }
        try (InputStream in = open()) {
            return in.readNBytes((int) size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void close();

    /** Bytes already in memory. */
    static Body of(byte[] bytes) {
        return new Body() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long offset, long length) {
                return new ByteArrayInputStream(bytes, (int) offset, (int) length);
            }

            @Override
            public byte[] readAll() {
                return bytes;
            }

            @Override
            public void close() {
                // nothing to give back
            }
        };
    }
}
