package io.integrationhub.dataplane.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries the metadata the hub reads ({@code authorization}, {@code x-tenant-id},
 * {@code traceparent}, and the caller's deadline: the call context's, else {@code grpc-timeout})
 * from the call's headers into its gRPC {@link Context}, where the service methods find them.
 */
final class RequestMetadata implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> GRPC_TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);
    private static final Pattern TIMEOUT_VALUE = Pattern.compile("([0-9]{1,8})([HMSmun])");

    /** Every value sent: more than one is refused, as on REST. */
    static final Context.Key<List<String>> AUTHORIZATION_VALUES = Context.key("authorization");
    /** Every value sent (a key may repeat in metadata); empty when none was. */
    static final Context.Key<List<String>> TENANT_VALUES = Context.key("x-tenant-id");

    static final Context.Key<String> TRACEPARENT_VALUE = Context.key("traceparent");
    /** The caller's gRPC deadline, or null when it set none. */
    static final Context.Key<Deadline> DEADLINE = Context.key("grpc-deadline");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Context context = Context.current()
                .withValue(AUTHORIZATION_VALUES, values(headers.getAll(AUTHORIZATION)))
                .withValue(TENANT_VALUES, values(headers.getAll(TENANT)))
                .withValue(TRACEPARENT_VALUE, headers.get(TRACEPARENT))
                .withValue(DEADLINE, deadline(Context.current().getDeadline(), headers.get(GRPC_TIMEOUT)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** What remains of the caller's gRPC deadline, or null when it set none. */
    static Duration remaining() {
        Deadline deadline = DEADLINE.get();
        return deadline == null ? null : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
    }

    /**
     * The call context's deadline when the server set one from {@code grpc-timeout}, else that
     * header read here (its wire form: up to 8 digits and a unit); null without either.
     */
    static Deadline deadline(Deadline fromContext, String grpcTimeout) {
        if (fromContext != null || grpcTimeout == null) {
            return fromContext;
        }
        Matcher timeout = TIMEOUT_VALUE.matcher(grpcTimeout.trim());
        if (!timeout.matches()) {
            return null;
        }
        long amount = Long.parseLong(timeout.group(1));
        TimeUnit unit = switch (timeout.group(2)) {
            case "H" -> TimeUnit.HOURS;
            case "M" -> TimeUnit.MINUTES;
            case "S" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MILLISECONDS;
            case "u" -> TimeUnit.MICROSECONDS;
            default -> TimeUnit.NANOSECONDS;
        };
        return Deadline.after(amount, unit);
    }

    private static List<String> values(Iterable<String> values) {
        List<String> list = new ArrayList<>();
        if (values != null) {
            values.forEach(list::add);
        }
        return List.copyOf(list);
    }
}
