package io.integrationhub.dataplane.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.grpc.GrpcConfig;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import io.integrationhub.registry.problem.ProblemType;

/**
 * The body limit of {@code /call} (INTEGRATION_MAX_BODY_BYTES) on the gRPC {@code Call}: a larger
 * body is refused RESOURCE_EXHAUSTED naming the limit, with the same problem as REST's 413, before
 * the call reaches the pipeline.
 *
 * <p>Helidon 4.5 reads each gRPC message whole into a buffer of at most {@code max-read-buffer-size}
 * (2 MiB by default) and answers a larger one {@code INTERNAL "Too many requests"} after logging it
 * SEVERE; so bodies between 2 MiB and the limit were refused as an internal error. {@link #configure}
 * sets that buffer to the body limit plus {@link #ENVELOPE_BYTES} for the rest of the message; past
 * it Helidon's own answer remains (it refuses before any code of ours sees the message).
 */
public final class CallSizeLimit implements ServerInterceptor {
    /** Room for what a Call carries beside its body: provider, path, query, headers. */
    public static final int ENVELOPE_BYTES = 1024 * 1024;

    private final long maxBodyBytes;

    public CallSizeLimit(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Sizes Helidon's per-message read buffer on the gRPC listener to hold a Call with the largest allowed body. */
    public static void configure(ListenerConfig.Builder socket, long maxBodyBytes) {
        socket.addProtocol(GrpcConfig.builder()
                .maxReadBufferSize((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + ENVELOPE_BYTES))
                .build());
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(ReqT message) {
                if (message instanceof CallRequest request && request.getBody().size() > maxBodyBytes) {
                    refused = true;
                    StatusRuntimeException status = GrpcErrors.toStatus(
                            new ApiException(
                                    ProblemType.PAYLOAD_TOO_LARGE,
                                    "the request body is larger than " + maxBodyBytes
                                            + " bytes (INTEGRATION_MAX_BODY_BYTES)"),
                            "Call");
                    call.close(status.getStatus(), status.getTrailers());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose(); // a refused call never reaches the service
                }
            }

            @Override
            public void onReady() {
                if (!refused) {
                    super.onReady();
                }
            }
        };
    }
}
