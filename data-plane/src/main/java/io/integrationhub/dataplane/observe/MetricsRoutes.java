package io.integrationhub.dataplane.observe;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.registry.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text exposition, served on the management port only (never
 * the API port), and behind {@code Authorization: Bearer <INTEGRATION_METRICS_TOKEN>} when that is set.
 */
public final class MetricsRoutes implements HttpService {
    public static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HubMetrics metrics;
    private final byte[] token;

    /** @param token the bearer token a scrape must send, or null for none */
    public MetricsRoutes(HubMetrics metrics, String token) {
        this.metrics = metrics;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        if (token != null) {
            byte[] sent = Authenticator.bearer(Authenticator.single(req, HeaderNames.AUTHORIZATION))
                    .map(value -> value.getBytes(StandardCharsets.UTF_8))
                    .orElse(new byte[0]);
            if (!MessageDigest.isEqual(sent, token)) { // constant time: the comparison does not reveal a prefix
                throw new ApiException(ProblemType.UNAUTHORIZED, "send Authorization: Bearer <the metrics token>");
            }
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
