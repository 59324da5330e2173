package io.integrationhub.dataplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceGrpc;
import io.integrationhub.dataplane.grpc.v1.Problem;
import io.integrationhub.testkit.Canary;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A real grpc-java client (Netty, plaintext HTTP/2) for the hub's gRPC port, the one way tests of
 * this module open gRPC channels. Every message and every status (with its trailers and details) it
 * receives goes into the {@link Canary} journal, so the final hygiene scan covers gRPC answers too.
 */
public final class GrpcClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final BiConsumer<String, String> journal;

    public GrpcClient(int port) {
        this(port, Canary::record);
    }

    /** A client recording what it receives into {@code journal} (source, text) instead of the canary journal. */
    public GrpcClient(int port, BiConsumer<String, String> journal) {
        this.channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.journal = journal;
    }

    /** A stub sending {@code metadata} (authorization, x-tenant-id, traceparent) with every call. */
    public IntegrationHubServiceGrpc.IntegrationHubServiceBlockingStub stub(Map<String, String> metadata) {
        Metadata headers = new Metadata();
        metadata.forEach((name, value) -> headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
        return stub(headers);
    }

    /** A stub sending {@code headers} with every call (a key may repeat). */
    public IntegrationHubServiceGrpc.IntegrationHubServiceBlockingStub stub(Metadata headers) {
        Channel recorded = ClientInterceptors.intercept(
                channel, new Recorder(journal), MetadataUtils.newAttachHeadersInterceptor(headers));
        return IntegrationHubServiceGrpc.newBlockingStub(recorded).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A stub authenticated with {@code token} (tenant from the token). */
    public IntegrationHubServiceGrpc.IntegrationHubServiceBlockingStub stub(String token) {
        return stub(Map.of("authorization", "Bearer " + token));
    }

    /** The details of a failed call, read the way any rich-error-model client reads them. */
    public record Failure(
            Status.Code code,
            String message,
            ErrorInfo info,
            Optional<BadRequest> badRequest,
            Optional<RetryInfo> retry,
            Problem problem,
            Metadata trailers) {
        public static Failure of(StatusRuntimeException e) {
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            if (status == null) {
                throw new AssertionError("no status details in " + e.getStatus(), e);
            }
            return new Failure(
                    e.getStatus().getCode(),
                    status.getMessage(),
                    unpack(status, ErrorInfo.class).orElseThrow(),
                    unpack(status, BadRequest.class),
                    unpack(status, RetryInfo.class),
                    unpack(status, Problem.class).orElseThrow(),
                    e.getTrailers());
        }

        public String trailer(String name) {
            return trailers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }

        private static <T extends Message> Optional<T> unpack(com.google.rpc.Status status, Class<T> type) {
            for (Any detail : status.getDetailsList()) {
                if (detail.is(type)) {
                    try {
                        return Optional.of(detail.unpack(type));
                    } catch (InvalidProtocolBufferException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Records what the hub sent back. */
    private record Recorder(BiConsumer<String, String> journal) implements ClientInterceptor {
        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
                MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            String source = "grpc " + method.getBareMethodName();
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<RespT> listener, Metadata headers) {
                    super.start(
                            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                                @Override
                                public void onMessage(RespT message) {
                                    journal.accept(source, print(message));
                                    super.onMessage(message);
                                }

                                @Override
                                public void onClose(Status status, Metadata trailers) {
                                    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
                                    journal.accept(
                                            source,
                                            status + " " + trailers + " " + (details == null ? "" : print(details)));
                                    super.onClose(status, trailers);
                                }
                            },
                            headers);
                }
            };
        }

        private static String print(Object message) {
            try {
                return message instanceof MessageOrBuilder m
                        ? JsonFormat.printer()
                                .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                                        .add(Problem.getDescriptor())
                                        .add(ErrorInfo.getDescriptor())
                                        .add(BadRequest.getDescriptor())
                                        .add(RetryInfo.getDescriptor())
                                        .build())
                                .print(m)
                        : String.valueOf(message);
            } catch (InvalidProtocolBufferException e) {
                return String.valueOf(message);
            }
        }
    }
}
