package io.integrationhub.dataplane.call;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.registry.idempotency.StoredResponse;
import io.integrationhub.registry.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The REST edge of the pipeline: turns a {@link CallResult} into an HTTP answer. A provider's
 * answer goes back unwrapped, its body streamed as it arrives; a refusal or a parked call becomes
 * a problem document.
 */
final class CallAnswers {
    static final HeaderName ATTEMPTS = HeaderNames.create("X-Integration-Attempts");
    static final HeaderName REPLAY = HeaderNames.create("X-Idempotent-Replay");
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private CallAnswers() {}

    static void send(ServerRequest req, ServerResponse res, CallResult result, boolean head) {
        switch (result) {
            case CallResult.Answered answered -> stream(res, answered, head);
            case CallResult.Replayed replayed -> replay(req, res, replayed, head);
            case CallResult.Rejected rejected -> Problems.send(req, res, rejected.problem());
            case CallResult.Parked parked -> Problems.send(req, res, parked.problem());
            case CallResult.Expired expired -> Problems.send(req, res, expired.problem());
        }
    }

    private static void stream(ServerResponse res, CallResult.Answered answered, boolean head) {
        try (AnswerBody body = answered.body()) {
            head(res, answered.status(), answered.headers());
            res.header(ATTEMPTS, Integer.toString(answered.attempts()));
            res.header(IDEMPOTENCY_KEY, answered.idempotencyKey());
            if (head) {
                res.send();
                return;
            }
            if (body instanceof AnswerBody.Bytes bytes) {
                res.send(bytes.bytes());
                return;
            }
            if (body.length() >= 0) {
                res.header(HeaderNames.CONTENT_LENGTH, Long.toString(body.length()));
            }
            OutputStream out = res.outputStream();
            try {
                body.transferTo(out);
            } catch (IOException e) {
                // Headers are gone: the only honest signal left is to break the connection, never to end the
                // answer as if it were whole (no last chunk, no short Content-Length body closed cleanly).
                throw new BrokenAnswerException(e);
            }
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void replay(ServerRequest req, ServerResponse res, CallResult.Replayed replayed, boolean head) {
        StoredResponse stored = replayed.response();
        if (!stored.bodyKept()) {
            ApiException problem = new ApiException(
                            ProblemType.IDEMPOTENT_ANSWER_NOT_KEPT,
                            "the call with this Idempotency-Key"
                                    + " completed with status " + stored.status()
                                    + ", but its answer was too large to keep for replay;"
                                    + " it is not sent again")
                    .extension("originalStatus", stored.status())
                    .extension("originalHeaders", stored.headers())
                    .header(IDEMPOTENCY_KEY.defaultCase(), replayed.idempotencyKey())
                    .header(REPLAY.defaultCase(), "true");
            Problems.send(req, res, problem);
            return;
        }
        head(res, stored.status(), stored.headers());
        res.header(ATTEMPTS, "0");
        res.header(REPLAY, "true");
        res.header(IDEMPOTENCY_KEY, replayed.idempotencyKey());
        if (head) {
            res.send();
        } else {
            res.send(stored.body());
        }
    }

    private static void head(ServerResponse res, int status, Map<String, List<String>> headers) {
        res.status(Status.create(status));
        headers.forEach((name, values) -> res.header(HeaderNames.create(name), values.toArray(String[]::new)));
        res.header(Problems.SOURCE, "upstream");
    }

    /** The provider's stream or the caller's connection broke after the answer had started. */
    static final class BrokenAnswerException extends UncheckedIOException {
        BrokenAnswerException(IOException cause) {
            super("the answer broke off midway", cause);
        }
    }
}
