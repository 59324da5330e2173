package io.integrationhub.dataplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.edge.CallerText;
import io.integrationhub.dataplane.edge.RequestFraming;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.provider.ProviderInRouteException;
import io.integrationhub.registry.provider.ProviderNameTakenException;
import io.integrationhub.registry.provider.ProviderNotFoundException;
import io.integrationhub.registry.provider.StaleVersionException;
import io.integrationhub.registry.validation.FieldError;
import io.integrationhub.registry.validation.ValidationException;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become HTTP answers: every exception type maps to a problem+json
 * document of a stable type. Unexpected exceptions are logged with an error id and answered 500
 * with only that id, never a stack trace or class name.
 */
public final class Problems {
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final HeaderName SOURCE = HeaderNames.create("X-Integration-Source");
    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {}

    /** Registers the error handlers on the routing. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(req, res, e));
        routing.error(ValidationException.class, (req, res, e) -> send(req, res, problem(e)));
        routing.error(ProviderNotFoundException.class, (req, res, e) -> send(req, res, problem(e)));
        routing.error(ProviderNameTakenException.class, (req, res, e) -> send(req, res, problem(e)));
        routing.error(ProviderInRouteException.class, (req, res, e) -> send(req, res, problem(e)));
        routing.error(StaleVersionException.class, (req, res, e) -> send(req, res, problem(e)));
        routing.error(Throwable.class, Problems::unexpected);
    }

    /**
     * The problem a failure is answered with, or null for an unexpected one (answered 500 with an
     * error id). Every API uses this one mapping: HTTP above, gRPC in {@code grpc.GrpcErrors}.
     */
    public static ApiException problem(Throwable e) {
        return switch (e) {
            case ApiException api -> api;
            case ValidationException invalid ->
                new ApiException(ProblemType.VALIDATION, summary(invalid), invalid.errors());
            case ProviderNotFoundException notFound ->
                new ApiException(ProblemType.PROVIDER_NOT_FOUND, notFound.getMessage());
            case ProviderNameTakenException taken ->
                new ApiException(ProblemType.PROVIDER_NAME_TAKEN, taken.getMessage());
            case ProviderInRouteException routed ->
                new ApiException(ProblemType.PROVIDER_IN_ROUTE, routed.getMessage())
                        .extension("routedFrom", routed.routedFrom());
            case StaleVersionException stale ->
                new ApiException(
                        ProblemType.PRECONDITION_FAILED,
                        stale.getMessage() + "; GET it again and retry with its current ETag");
            // The caller's bytes broke HTTP/1.1 framing (e.g. a chunk size of "zz"): their fault, not ours.
            case Throwable framing
            when RequestFraming.brokeWhileReading(framing) ->
                new ApiException(
                        ProblemType.MALFORMED_REQUEST,
                        "the request body could not be read: its chunked framing is malformed (or the connection broke)");
            // An outage, not a bug: say so, and when to come back, instead of a 500.
            default ->
                io.integrationhub.registry.db.DatabaseFailures.isUnreachable(e)
                        ? new ApiException(ProblemType.UNAVAILABLE, "the registry database is unreachable; retry later")
                                .header("Retry-After", "5")
                        : null;
        };
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        ApiException known = problem(e);
        if (known != null) {
            if (known.type() == ProblemType.UNAVAILABLE) {
                LOG.warning("registry unreachable on " + req.prologue().method().text() + " "
                        + CallerText.prefix(req.path().absolute().path()));
            }
            send(req, res, known);
            return;
        }
        String errorId = UUID.randomUUID().toString();
        LOG.log(
                Level.SEVERE,
                "unexpected error " + errorId + " on " + req.prologue().method().text() + " "
                        + CallerText.prefix(req.path().absolute().path()),
                e);
        send(
                req,
                res,
                new ApiException(ProblemType.INTERNAL, "unexpected error; quote error id " + errorId)
                        .extension("errorId", errorId));
    }

    /** Writes {@code e} as problem+json; does nothing if the answer was already sent. */
    public static void send(ServerRequest req, ServerResponse res, ApiException e) {
        if (res.isSent()) {
            return;
        }
        ProblemType type = e.type();
        ObjectNode body = Json.mapper()
                .createObjectNode()
                .put("type", type.slug())
                .put("title", type.title())
                .put("status", type.status())
                .put("detail", e.getMessage())
                .put("instance", req.path().absolute().path());
        if (!e.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (FieldError error : e.errors()) {
                errors.addObject().put("field", error.field()).put("message", error.message());
            }
        }
        for (Map.Entry<String, Object> extension : e.extensions().entrySet()) {
            body.set(extension.getKey(), Json.mapper().valueToTree(extension.getValue()));
        }
        res.status(Status.create(type.status()));
        e.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
        if (type == ProblemType.UNAUTHORIZED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.header(SOURCE, "hub");
        res.header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        try {
            res.send(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String summary(ValidationException e) {
        int count = e.errors().size();
        return count == 1 ? "1 field is invalid" : count + " fields are invalid";
    }
}
