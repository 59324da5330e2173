package io.integrationhub.dataplane.call;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.RequestBodies;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.registry.problem.ProblemType;
import java.time.Clock;
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
    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName TIMEOUT = HeaderNames.create(CallDeadline.HEADER);

    private final CallService calls;
    private final Authenticator authenticator;
    private final Bodies bodies;
    private final Clock clock;

    /** @param clock starts each call's deadline when its caller is authenticated */
    public CallRoutes(CallService calls, Authenticator authenticator, Bodies bodies, Clock clock) {
        this.calls = calls;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/call", this::call)
                .any("/call", (req, res) -> {
                    throw new ApiException(
                            ProblemType.METHOD_NOT_ALLOWED,
                            "use POST for " + req.path().absolute().path());
                })
                .any("/proxy/*", this::proxy);
    }

    private void call(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.CALL);
        CallDeadline deadline = deadline(req);
        RequestBodies.requireJson(req);
        if (req.headers().contentLength().orElse(0) > bodies.maxBodyBytes()) {
            throw new ApiException(
                    ProblemType.PAYLOAD_TOO_LARGE,
                    "the request body is larger than " + bodies.maxBodyBytes() + " bytes");
        }
        if (!req.content().hasEntity()) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the request needs a JSON body");
        }
        try (Bodies.Scope scope = open()) {
            // Not closed: closing Helidon's body stream reads on; edge.ServerEdge drains or drops what is left unread.
            CallRequest request = EnvelopeParser.parse(
                    req.content().inputStream(),
                    scope,
                    req.headers().first(TRACEPARENT).orElse(null),
                    deadline);
            CallAnswers.send(
                    req,
                    res,
                    calls.execute(caller, request, scope.memory()),
                    request.method().equals("HEAD"));
        }
    }

    /** This call's share of the memory budget, or 503 overloaded after a short wait. */
    private Bodies.Scope open() {
        try {
            Bodies.Scope scope = bodies.open();
            if (scope == null) {
                throw new ApiException(
                                ProblemType.OVERLOADED,
                                "this instance holds as many bodies in memory as its budget"
                                        + " allows (INTEGRATION_MEMORY_BUDGET_BYTES); retry shortly")
                        .header("Retry-After", "1");
            }
            return scope;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemType.UNAVAILABLE, "the hub is shutting down");
        }
    }

    /**
     * The SDK owns {@code Authorization}, so the hub token may come as {@code Proxy-Authorization:
     * Bearer}; if only {@code Authorization} is there it must be a valid hub token. Either way it is
     * never forwarded: the provider gets the injected credential instead.
     */
    private void proxy(ServerRequest req, ServerResponse res) {
        Optional<String> proxyToken = Authenticator.bearer(Authenticator.single(req, HeaderNames.PROXY_AUTHORIZATION));
        Optional<String> sdkToken = Authenticator.bearer(Authenticator.single(req, HeaderNames.AUTHORIZATION));
        String token = proxyToken
                .or(() -> sdkToken)
                .orElseThrow(() -> new ApiException(
                        ProblemType.UNAUTHORIZED,
                        "send the hub token as Proxy-Authorization: Bearer <token> (or as the SDK's bearer API key)"));
        Caller caller =
                authenticator.authorize(token, req.headers().all(Authenticator.TENANT_HEADER, List::of), Scope.CALL);
        CallDeadline deadline = deadline(req);

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
        try (Bodies.Scope scope = open()) {
            Body body = RequestBodies.receive(req, scope);
            CallRequest request = new CallRequest(
                    provider,
                    method,
                    path,
                    rawQuery.isEmpty() ? null : rawQuery,
                    headers,
                    req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null),
                    body,
                    req.headers().first(IDEMPOTENCY_KEY).orElse(null),
                    deadline,
                    req.headers().first(TRACEPARENT).orElse(null));
            CallAnswers.send(req, res, calls.execute(caller, request, scope.memory()), method.equals("HEAD"));
        }
    }

    /** The call's deadline, started now (the caller has just been authenticated), with the header's if given. */
    private CallDeadline deadline(ServerRequest req) {
        return CallDeadline.from(clock.instant())
                .within(CallDeadline.fromHeader(req.headers().all(TIMEOUT, List::of)), CallDeadline.HEADER);
    }
}
