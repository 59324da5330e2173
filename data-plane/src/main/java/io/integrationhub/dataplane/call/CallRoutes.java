package io.integrationhub.dataplane.call;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.ProblemType;
import io.integrationhub.dataplane.api.RequestBodies;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code POST /api/v1/integrations/call} (the JSON envelope) and
 * {@code ANY /api/v1/integrations/proxy/{provider}/{path...}} (the transparent route for unmodified
 * provider SDKs), both into {@link CallService}.
 */
public final class CallRoutes implements HttpService {
    public static final String PATH = "/api/v1/integrations";
    private static final String PROXY_PREFIX = PATH + "/proxy/";

    private final CallService calls;
    private final Authenticator authenticator;
    private final RequestBodies bodies;

    public CallRoutes(CallService calls, Authenticator authenticator, RequestBodies bodies) {
        this.calls = calls;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/call", this::call)
                .any("/call", (req, res) -> {
                    throw new ApiException(ProblemType.METHOD_NOT_ALLOWED, "use POST for " + req.path().absolute().path());
                })
                .any("/proxy/*", this::proxy);
    }

    private void call(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.CALL);
        CallRequest request = EnvelopeParser.parse(bodies.json(req), req.headers().first(HeaderNames.create("traceparent")).orElse(null));
        CallAnswers.send(res, calls.execute(caller, request), request.method().equals("HEAD"));
    }

    /**
     * The SDK owns {@code Authorization}, so the hub token may come as {@code Proxy-Authorization:
     * Bearer}; if only {@code Authorization} is there it must be a valid hub token. Either way it is
     * never forwarded: the provider gets the injected credential instead.
     */
    private void proxy(ServerRequest req, ServerResponse res) {
        Optional<String> proxyToken = Authenticator.bearer(Authenticator.single(req, HeaderNames.PROXY_AUTHORIZATION));
        Optional<String> sdkToken = Authenticator.bearer(Authenticator.single(req, HeaderNames.AUTHORIZATION));
        String token = proxyToken.or(() -> sdkToken)
                .orElseThrow(() -> new ApiException(ProblemType.UNAUTHORIZED,
                        "send the hub token as Proxy-Authorization: Bearer <token> (or as the SDK's bearer API key)"));
        Caller caller = authenticator.authorize(token, req.headers().all(Authenticator.TENANT_HEADER, List::of), Scope.CALL);

        String rawPath = req.path().absolute().rawPath();
        String rest = rawPath.substring(PROXY_PREFIX.length());
        int slash = rest.indexOf('/');
        String provider = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (provider.isEmpty()) {
            throw ApiException.validation("provider", "the proxy path must name a provider: /proxy/{provider}/{path}");
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : req.headers()) {
            headers.computeIfAbsent(header.name(), n -> new ArrayList<>()).addAll(header.allValues());
        }
        String method = req.prologue().method().text().toUpperCase(Locale.ROOT);
        String rawQuery = req.query().rawValue();
        byte[] body = bodies.bytes(req);
        CallRequest request = new CallRequest(provider, method, path, rawQuery.isEmpty() ? null : rawQuery, headers,
                req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null), body,
                req.headers().first(HeaderNames.create("Idempotency-Key")).orElse(null),
                timeoutHeader(req), req.headers().first(HeaderNames.create("traceparent")).orElse(null));
        CallAnswers.send(res, calls.execute(caller, request), method.equals("HEAD"));
    }

    private static Integer timeoutHeader(ServerRequest req) {
        Optional<String> value = req.headers().first(HeaderNames.create("X-Integration-Timeout-Ms"));
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation("X-Integration-Timeout-Ms", "must be a whole number of milliseconds");
        }
    }
}
