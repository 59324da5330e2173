package io.integrationhub.dataplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The size of a gRPC {@code Call}, with a real grpc-java client: a body over INTEGRATION_MAX_BODY_BYTES
 * is refused RESOURCE_EXHAUSTED naming the limit (REST answers 413 for the same body), a body up to
 * the limit is served even past Helidon's default 2 MiB read buffer (which answered INTERNAL "Too many
 * requests" for any Call over 2 MiB).
 */
@Tag("hub")
class GrpcCallSizeTest {
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static TestHub hub;
    private static GrpcClient client;

    @BeforeAll
    static void start() {
        hub = TestHub.start(Map.of("INTEGRATION_MAX_BODY_BYTES", String.valueOf(MAX_BODY)));
        client = new GrpcClient(hub.hub().grpcPort());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        hub.close();
    }

    private static StatusRuntimeException call(int bodyBytes) {
        CallRequest request = CallRequest.newBuilder()
                .setProvider("no-such-provider")
                .setMethod("POST")
                .setPath("/upload")
                .setContentType("application/octet-stream")
                .setBody(ByteString.copyFrom(new byte[bodyBytes]))
                .build();
        return catchThrowableOfType(
                StatusRuntimeException.class,
                () -> client.stub(hub.token("grpc-size", Scope.CALL)).call(request));
    }

    @Test
    void aBodyOverTheLimitIsResourceExhaustedNamingTheLimit() {
        StatusRuntimeException refused = call(MAX_BODY + 1);

        assertThat(refused).isNotNull();
        GrpcClient.Failure failure = GrpcClient.Failure.of(refused);
        assertThat(failure.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(failure.message()).contains(String.valueOf(MAX_BODY));
        assertThat(failure.problem().getType()).isEqualTo("payload-too-large");
    }

    @Test
    void aBodyUpToTheLimitIsServedPastHelidonsDefaultReadBuffer() {
        StatusRuntimeException answered = call(MAX_BODY);

        assertThat(answered).isNotNull();
        assertThat(answered.getStatus().getCode())
                .as("it reached the pipeline: the provider is unknown")
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aBodyOverTheLimitWithinHelidonsReadBufferIsRefusedBeforeThePipeline() {
        StatusRuntimeException refused = call(MAX_BODY + CallSizeLimit.ENVELOPE_BYTES / 2);

        assertThat(refused).isNotNull();
        assertThat(refused.getStatus().getCode())
                .as(String.valueOf(refused.getStatus()))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused.getStatus().getDescription()).contains(String.valueOf(MAX_BODY));
    }
}
