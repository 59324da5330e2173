package io.integrationhub.dataplane.observe;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Opens the {@link LogContext} of every HTTP request: the trace id of its W3C {@code traceparent}
 * (when valid) and the tenant it names in {@code X-Tenant-ID} (when well-formed; the token's
 * tenant replaces it once a call is authenticated), so every line logged while serving
 * it can be found by trace id.
 */
public final class TraceContextFilter implements Filter {
    private static final io.helidon.http.HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private static final io.helidon.http.HeaderName TENANT = HeaderNames.create("X-Tenant-ID");
    private static final java.util.regex.Pattern TENANT_ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try (LogContext.Scope scope = LogContext.open(
                req.headers().first(TRACEPARENT).orElse(null),
                req.headers()
                        .first(TENANT)
                        .filter(t -> TENANT_ID.matcher(t).matches())
                        .orElse(null))) {
            chain.proceed();
        }
    }
}
