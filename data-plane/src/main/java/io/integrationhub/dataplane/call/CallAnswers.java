package io.integrationhub.dataplane.call;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.registry.idempotency.StoredResponse;
import java.util.List;
import java.util.Map;

/** Writes a provider's answer (fresh or replayed) back to the caller, unwrapped, with the hub's headers. */
final class CallAnswers {
    static final HeaderName ATTEMPTS = HeaderNames.create("X-Integration-Attempts");
    static final HeaderName REPLAY = HeaderNames.create("X-Idempotent-Replay");
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private CallAnswers() {}

    static void send(ServerResponse res, CallResult result, boolean head) {
        switch (result) {
            case CallResult.Answered answered -> {
                write(res, answered.status(), answered.headers(), answered.body(), head);
                res.header(ATTEMPTS, Integer.toString(answered.attempts()));
                res.header(IDEMPOTENCY_KEY, answered.idempotencyKey());
            }
            case CallResult.Replayed replayed -> {
                StoredResponse stored = replayed.response();
                write(res, stored.status(), stored.headers(), stored.body(), head);
                res.header(ATTEMPTS, "0");
                res.header(REPLAY, "true");
                res.header(IDEMPOTENCY_KEY, replayed.idempotencyKey());
            }
        }
        res.header(Problems.SOURCE, "upstream");
        if (head) {
            res.send();
        } else {
            res.send(body(result));
        }
    }

    private static void write(ServerResponse res, int status, Map<String, List<String>> headers, byte[] body, boolean head) {
        res.status(Status.create(status));
        headers.forEach((name, values) -> res.header(HeaderNames.create(name), values.toArray(String[]::new)));
    }

    private static byte[] body(CallResult result) {
        return switch (result) {
            case CallResult.Answered answered -> answered.body();
            case CallResult.Replayed replayed -> replayed.response().body();
        };
    }
}
