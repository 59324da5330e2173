package io.integrationhub.dataplane.call;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * What the provider answered to one attempt: status and the headers a caller may see, with the
 * body still unread. The attempt loop either {@link #discard()}s it (an answer it will retry),
 * reads a small one whole, or hands it on to the caller as a stream. Closing gives the connection back.
 */
class UpstreamAnswer implements AutoCloseable {
    /** An error answer is read at most this far before it is dropped (enough for the pool to keep small ones). */
    static final int DISCARD_BYTES = 64 * 1024;

    private final int status;
    private final Map<String, List<String>> headers;
    private final long declaredLength;
    private final InputStream body;
    private final AutoCloseable connection;

    UpstreamAnswer(
            int status,
            Map<String, List<String>> headers,
            long declaredLength,
            InputStream body,
            AutoCloseable connection) {
        this.status = status;
        this.headers = headers;
        this.declaredLength = declaredLength;
        this.body = body;
        this.connection = connection;
    }

    /** An answer already read whole, for tests and fakes. */
    static UpstreamAnswer of(int status, Map<String, List<String>> headers, byte[] body) {
        return new UpstreamAnswer(status, headers, body.length, new java.io.ByteArrayInputStream(body), () -> {});
    }

    int status() {
        return status;
    }

    Map<String, List<String>> headers() {
        return headers;
    }

    /** Content-Length as the provider declared it, or -1 (chunked, or until close). */
    long declaredLength() {
        return declaredLength;
    }

    InputStream body() {
        return body;
    }

    /** Reads the whole body, which must be small: only when declared at most {@code max} bytes. */
    byte[] readDeclared() throws IOException {
        byte[] bytes = body.readNBytes((int) declaredLength);
        if (bytes.length != declaredLength) {
            throw new java.io.EOFException(
                    "the provider's answer ended after " + bytes.length + " of " + declaredLength + " bytes");
        }
        // Meeting EOF gives the connection back to the pool.
        body.read();
        return bytes;
    }

    /** Drops the body: reads a little (so the connection can be reused), then closes. */
    void discard() {
        try {
            long skipped = 0;
            byte[] buffer = new byte[8192];
            int n;
            while (skipped < DISCARD_BYTES && (n = body.read(buffer)) != -1) {
                skipped += n;
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing of it matters
        }
        close();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception ignored) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "UpstreamAnswer[" + status + ", " + (declaredLength < 0 ? "streamed" : declaredLength + " bytes") + "]";
    }
}
