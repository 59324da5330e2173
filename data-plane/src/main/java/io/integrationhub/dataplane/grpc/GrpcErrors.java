package io.integrationhub.dataplane.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.dataplane.grpc.v1.Problem;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.validation.FieldError;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become gRPC statuses: the same problem as the REST answer
 * ({@link Problems#problem}), its code derived from the problem's HTTP status as Google's API
 * design guide maps them, and its details in the rich error model: {@code ErrorInfo} (reason = the
 * problem type), {@code BadRequest} (every invalid field), {@code RetryInfo} (the REST
 * Retry-After) and the whole {@link Problem}. Unexpected failures are logged with an error id and
 * answered INTERNAL with only that id.
 */
public final class GrpcErrors {
    public static final String DOMAIN = "integrationhub.io";
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {}

    /** The status a failed call answers. */
    public static StatusRuntimeException toStatus(Throwable failure, String operation) {
        ApiException problem = Problems.problem(failure);
        if (problem == null) {
            String errorId = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "unexpected error " + errorId + " in gRPC " + operation, failure);
            problem = new ApiException(ProblemType.INTERNAL, "unexpected error; quote error id " + errorId)
                    .extension("errorId", errorId);
        }
        return toStatus(problem, operation);
    }

    private static StatusRuntimeException toStatus(ApiException problem, String operation) {
        ProblemType type = problem.type();
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code(type).value())
                .setMessage(problem.getMessage() == null ? type.title() : problem.getMessage());
        ErrorInfo.Builder info =
                ErrorInfo.newBuilder().setReason(type.name()).setDomain(DOMAIN).putMetadata("type", type.slug());
        Problem.Builder document = Problem.newBuilder()
                .setType(type.slug())
                .setTitle(type.title())
                .setStatus(type.status())
                .setDetail(status.getMessage());
        for (Map.Entry<String, Object> extension : problem.extensions().entrySet()) {
            String value = text(extension.getValue());
            info.putMetadata(extension.getKey(), value);
            document.putExtensions(extension.getKey(), value);
        }
        status.addDetails(Any.pack(info.build()));
        if (!problem.errors().isEmpty()) {
            BadRequest.Builder badRequest = BadRequest.newBuilder();
            for (FieldError error : problem.errors()) {
                badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(error.field())
                        .setDescription(error.message()));
                document.addErrors(
                        Problem.FieldError.newBuilder().setField(error.field()).setMessage(error.message()));
            }
            status.addDetails(Any.pack(badRequest.build()));
        }
        Metadata trailers = new Metadata();
        problem.headers().forEach((name, value) -> {
            trailers.put(Metadata.Key.of(name.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER), value);
            if (name.equalsIgnoreCase("Retry-After") && value.matches("\\d{1,9}")) {
                status.addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(Durations.fromSeconds(Long.parseLong(value)))
                        .build()));
            }
        });
        status.addDetails(Any.pack(document.build()));
        return StatusProto.toStatusRuntimeException(status.build(), trailers);
    }

    /** The gRPC code of a problem type: by its HTTP status, with the few exceptions gRPC has a better code for. */
    public static Status.Code code(ProblemType type) {
        return switch (type) {
            case PROVIDER_NAME_TAKEN -> Status.Code.ALREADY_EXISTS;
            case MANAGED_BY_OPERATOR, PROVIDER_DISABLED, PROVIDER_IN_ROUTE, DLQ_ENTRY_CONFLICT ->
                Status.Code.FAILED_PRECONDITION;
            case UPSTREAM_TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
            case ANSWER_TOO_LARGE -> Status.Code.RESOURCE_EXHAUSTED;
            case IDEMPOTENT_ANSWER_NOT_KEPT -> Status.Code.FAILED_PRECONDITION;
            default ->
                switch (type.status()) {
                    case 400, 415, 422 -> Status.Code.INVALID_ARGUMENT;
                    case 401 -> Status.Code.UNAUTHENTICATED;
                    case 403 -> Status.Code.PERMISSION_DENIED;
                    case 404 -> Status.Code.NOT_FOUND;
                    case 405, 501 -> Status.Code.UNIMPLEMENTED;
                    case 409 -> Status.Code.ABORTED;
                    case 412 -> Status.Code.FAILED_PRECONDITION;
                    case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
                    case 502, 503 -> Status.Code.UNAVAILABLE;
                    case 504 -> Status.Code.DEADLINE_EXCEEDED;
                    default -> type.status() >= 500 ? Status.Code.INTERNAL : Status.Code.INVALID_ARGUMENT;
                };
        };
    }

    private static String text(Object value) {
        if (value instanceof String string) {
            return string;
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
