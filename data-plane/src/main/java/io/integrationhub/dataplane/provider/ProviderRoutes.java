package io.integrationhub.dataplane.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Cursors;
import io.integrationhub.dataplane.api.ETags;
import io.integrationhub.dataplane.api.JsonResponses;
import io.integrationhub.dataplane.api.RequestBodies;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.provider.Provider;

/** {@code /api/v1/integrations/providers}: HTTP in, {@link ProviderService} rules, JSON out. */
public final class ProviderRoutes implements HttpService {
    public static final String PATH = "/api/v1/integrations/providers";
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;

    private final ProviderService service;
    private final Authenticator authenticator;
    private final RequestBodies bodies;
    private final ProviderHealth health;

    public ProviderRoutes(
            ProviderService service, Authenticator authenticator, RequestBodies bodies, ProviderHealth health) {
        this.service = service;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.health = health;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .get("/{id}/health", this::health)
                .patch("/{id}", this::patch)
                .delete("/{id}", this::delete)
                .any("/", ProviderRoutes::methodNotAllowed)
                .any("/{id}", ProviderRoutes::methodNotAllowed);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.PROVIDERS_WRITE);
        Provider created = service.create(caller, bodies.json(req));
        res.header(HeaderNames.LOCATION, PATH + "/" + created.id());
        send(res, Status.CREATED_201, created);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.PROVIDERS_READ);
        String afterId = Cursors.decode(query(req, "cursor"));
        int limit = Cursors.limit(query(req, "limit"), DEFAULT_PAGE, MAX_PAGE);
        Page<Provider> page = service.list(caller, afterId, limit);
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode items = body.putArray("items");
        page.items().forEach(provider -> items.add(service.document(provider)));
        body.put("nextCursor", Cursors.encode(page.nextAfterId()));
        JsonResponses.send(res, Status.OK_200, body);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.PROVIDERS_READ);
        send(res, Status.OK_200, service.get(caller, req.path().pathParameters().get("id")));
    }

    private void health(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.PROVIDERS_READ);
        JsonResponses.send(
                res,
                Status.OK_200,
                health.of(service.get(caller, req.path().pathParameters().get("id"))));
    }

    private void patch(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.PROVIDERS_WRITE);
        Long expected = ETags.expectedVersion(req.headers().first(HeaderNames.IF_MATCH));
        Provider updated = service.patch(caller, req.path().pathParameters().get("id"), bodies.json(req), expected);
        send(res, Status.OK_200, updated);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.PROVIDERS_WRITE);
        Long expected = ETags.expectedVersion(req.headers().first(HeaderNames.IF_MATCH));
        service.delete(caller, req.path().pathParameters().get("id"), expected);
        res.status(Status.NO_CONTENT_204);
        res.header(io.integrationhub.dataplane.api.Problems.SOURCE, "hub");
        res.send();
    }

    private void send(ServerResponse res, Status status, Provider provider) {
        res.header(HeaderNames.ETAG, ETags.of(provider.version()));
        JsonResponses.send(res, status, service.document(provider));
    }

    private static String query(ServerRequest req, String name) {
        return req.query().contains(name) ? req.query().get(name) : null;
    }

    static void methodNotAllowed(ServerRequest req, ServerResponse res) {
        throw new ApiException(
                ProblemType.METHOD_NOT_ALLOWED,
                req.prologue().method().text() + " is not supported on "
                        + req.path().absolute().path());
    }
}
