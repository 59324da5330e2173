package io.integrationhub.dataplane.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries the metadata the hub reads ({@code authorization}, {@code x-tenant-id},
 * {@code traceparent}) from the call's headers into its gRPC {@link Context}, where the service
 * methods find them.
 */
final class RequestMetadata implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    /** Every value sent: more than one is refused, as on REST. */
    static final Context.Key<List<String>> AUTHORIZATION_VALUES = Context.key("authorization");
    /** Every value sent (a key may repeat in metadata); empty when none was. */
    static final Context.Key<List<String>> TENANT_VALUES = Context.key("x-tenant-id");

    static final Context.Key<String> TRACEPARENT_VALUE = Context.key("traceparent");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Context context = Context.current()
                .withValue(AUTHORIZATION_VALUES, values(headers.getAll(AUTHORIZATION)))
                .withValue(TENANT_VALUES, values(headers.getAll(TENANT)))
                .withValue(TRACEPARENT_VALUE, headers.get(TRACEPARENT));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static List<String> values(Iterable<String> values) {
        List<String> list = new ArrayList<>();
        if (values != null) {
            values.forEach(list::add);
        }
        return List.copyOf(list);
    }
}
