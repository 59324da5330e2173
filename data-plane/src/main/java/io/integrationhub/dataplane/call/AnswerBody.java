package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.body.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The body of an answer the caller gets: bytes in memory (small answers and replays) or the
 * provider's stream, passed on as it arrives. An edge (REST, gRPC) calls {@link #transferTo} once
 * and then {@link #close()}; the call is recorded when the stream has been passed on (or broke).
 */
public sealed interface AnswerBody extends AutoCloseable {

    /** Length when known before the first byte, else -1. */
    long length();

    /**
     * Writes the body to {@code out}, flushing after each piece that arrives (so server-sent events
     * reach the caller at once).
     *
     * @throws IOException when the provider's stream or the caller's connection broke midway; the
     *     edge must then abort the answer (never end it as if it were complete)
     */
    void transferTo(OutputStream out) throws IOException;

    @Override
    void close();

    /** A body already in memory. */
    record Bytes(byte[] bytes) implements AnswerBody {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void transferTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    /** How a streamed answer ended: the bytes kept for replay (null when not kept) and whether it was whole. */
    record StreamEnd(byte[] kept, long bytes, boolean complete) {}

    /**
     * The provider's answer as it arrives. Up to {@code keepLimit} bytes are also kept (charged to
     * the call's memory) so a keyed call can be replayed; past that only status and headers are.
     */
    final class Streamed implements AnswerBody {
        private static final int PIECE = 16 * 1024;

        private final UpstreamAnswer answer;
        private final long keepLimit;
        private final MemoryBudget.Reservation memory;
        private final Consumer<StreamEnd> onEnd;
        private boolean ended;

        Streamed(UpstreamAnswer answer, long keepLimit, MemoryBudget.Reservation memory, Consumer<StreamEnd> onEnd) {
            this.answer = answer;
            this.keepLimit = keepLimit;
            this.memory = memory;
            this.onEnd = onEnd;
        }

        @Override
        public long length() {
            return answer.declaredLength();
        }

        @Override
        public void transferTo(OutputStream out) throws IOException {
            ByteArrayOutputStream kept = keepLimit > 0 ? new ByteArrayOutputStream() : null;
            long total = 0;
            boolean complete = false;
            try {
                InputStream in = answer.body();
                byte[] piece = new byte[PIECE];
                int n;
                while ((n = in.read(piece)) != -1) {
                    out.write(piece, 0, n);
                    out.flush();
                    total += n;
                    if (kept != null) {
                        if (total <= keepLimit && memory.tryGrow(n)) {
                            kept.write(piece, 0, n);
                        } else {
                            kept = null;
                        }
                    }
                }
                if (answer.declaredLength() >= 0 && total != answer.declaredLength()) {
                    throw new java.io.EOFException(
                            "the provider's answer ended after " + total + " of " + answer.declaredLength() + " bytes");
                }
                complete = true;
            } finally {
                end(new StreamEnd(complete && kept != null ? kept.toByteArray() : null, total, complete));
            }
        }

        @Override
        public void close() {
            // Never passed on (the edge failed before): the call still happened and is recorded.
            end(new StreamEnd(null, 0, false));
        }

        private void end(StreamEnd how) {
            if (ended) {
                return;
            }
            ended = true;
            answer.close();
            onEnd.accept(how);
        }
    }
}
