package io.integrationhub.dataplane.dlq;

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
import io.integrationhub.dataplane.api.JsonResponses;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.dlq.DeadLetter;
import io.integrationhub.registry.dlq.DeadLetterFilter;
import io.integrationhub.registry.dlq.RetryRequests;
import io.integrationhub.registry.problem.ProblemType;

/**
 * {@code /api/v1/integrations/dlq}: list, get ({@code ?include=body}), retry, retry-all and its
 * progress, delete. HTTP in, {@link DlqService} rules, JSON out.
 */
public final class DlqRoutes implements HttpService {
    public static final String PATH = "/api/v1/integrations/dlq";
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 200;

    private final DlqService service;
    private final Authenticator authenticator;

    public DlqRoutes(DlqService service, Authenticator authenticator) {
        this.service = service;
        this.authenticator = authenticator;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/retry-all", this::retryAll)
                .get("/retry-all/{batchId}", this::progress)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete)
                .post("/{id}/retry", this::retry)
                .any("/", DlqRoutes::methodNotAllowed)
                .any("/retry-all", DlqRoutes::methodNotAllowed)
                .any("/retry-all/{batchId}", DlqRoutes::methodNotAllowed)
                .any("/{id}", DlqRoutes::methodNotAllowed)
                .any("/{id}/retry", DlqRoutes::methodNotAllowed);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.DLQ_READ);
        String afterId = Cursors.decode(query(req, "cursor"));
        int limit = Cursors.limit(query(req, "limit"), DEFAULT_PAGE, MAX_PAGE);
        Page<DeadLetter> page = service.list(caller, filter(req, caller), afterId, limit);
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode items = body.putArray("items");
        page.items().forEach(entry -> items.add(DlqDocuments.entry(entry)));
        body.put("nextCursor", Cursors.encode(page.nextAfterId()));
        JsonResponses.send(res, Status.OK_200, body);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.DLQ_READ);
        String include = query(req, "include");
        if (include != null && !include.isEmpty() && !include.equals("body")) {
            throw ApiException.validation("include", "may only be 'body'");
        }
        DeadLetter entry = service.get(caller, req.path().pathParameters().get("id"));
        JsonResponses.send(
                res,
                Status.OK_200,
                DlqDocuments.detail(entry, service.request(entry), service.provider(entry), "body".equals(include)));
    }

    private void retry(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.DLQ_WRITE);
        DeadLetter entry = service.retry(caller, req.path().pathParameters().get("id"));
        res.header(HeaderNames.LOCATION, PATH + "/" + entry.id());
        JsonResponses.send(res, Status.ACCEPTED_202, DlqDocuments.entry(entry));
    }

    private void retryAll(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.DLQ_WRITE);
        RetryRequests.Batch batch = service.retryAll(caller, filter(req, caller));
        String statusUrl = PATH + "/retry-all/" + batch.id();
        res.header(HeaderNames.LOCATION, statusUrl);
        JsonResponses.send(res, Status.ACCEPTED_202, DlqDocuments.batch(batch, statusUrl));
    }

    private void progress(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.DLQ_READ);
        JsonResponses.send(
                res,
                Status.OK_200,
                DlqDocuments.progress(
                        service.progress(caller, req.path().pathParameters().get("batchId"))));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = authenticator.authenticate(req, Scope.DLQ_WRITE);
        service.delete(caller, req.path().pathParameters().get("id"));
        res.status(Status.NO_CONTENT_204);
        res.header(Problems.SOURCE, "hub");
        res.send();
    }

    private DeadLetterFilter filter(ServerRequest req, Caller caller) {
        return service.filter(
                caller,
                query(req, "provider"),
                query(req, "status"),
                query(req, "createdFrom"),
                query(req, "createdTo"));
    }

    private static String query(ServerRequest req, String name) {
        return req.query().contains(name) ? req.query().get(name) : null;
    }

    private static void methodNotAllowed(ServerRequest req, ServerResponse res) {
        throw new ApiException(
                ProblemType.METHOD_NOT_ALLOWED,
                req.prologue().method().text() + " is not supported on "
                        + req.path().absolute().path());
    }
}
