package io.integrationhub.dataplane.edge;

/**
 * Recognises a failure raised while the server read the request body off the connection: a chunk
 * size line that is not hexadecimal ({@code zz}, {@code -5}), too large ({@code ffffffffffffffffff}),
 * carries a chunk extension (Helidon 4.5 parses none), a bare LF, or a connection that ended
 * mid-body. Helidon throws these as plain runtime exceptions (a {@code NumberFormatException} whose
 * message quotes the caller's bytes) from inside the body stream, so without this they reach the
 * catch-all as an "unexpected error": logged SEVERE with the caller's bytes, answered 500.
 */
public final class RequestFraming {
    private static final String HTTP1_CONNECTION = "io.helidon.webserver.http1.Http1Connection";
    private static final String READ_ENTITY = "readEntityFromPipeline";

    private RequestFraming() {}

    /** Whether {@code failure}, or one of its causes, was thrown by the HTTP/1.1 entity reader. */
    public static boolean brokeWhileReading(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals(HTTP1_CONNECTION)
                        && frame.getMethodName().equals(READ_ENTITY)) {
                    return true;
                }
            }
        }
        return false;
    }
}
