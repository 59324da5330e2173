package io.integrationhub.dataplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The caller's gRPC deadline: the call context's when the server set one, else {@code grpc-timeout} read here. */
class RequestMetadataTest {
    @ParameterizedTest(name = "grpc-timeout {0} -> about {1} ms")
    @CsvSource({"1500m, 1500", "2S, 2000", "1M, 60000", "1H, 3600000", "750000u, 750", "90000000n, 90"})
    void grpcTimeoutIsReadInItsWireForm(String header, long millis) {
        Deadline deadline = RequestMetadata.deadline(null, header);
        long remaining = deadline.timeRemaining(TimeUnit.MILLISECONDS);
        assertThat(remaining).isBetween(millis - 50, millis);
    }

    @Test
    void theContextsDeadlineWinsAndNoneOrNonsenseIsNoDeadline() {
        Deadline context = Deadline.after(5, TimeUnit.SECONDS);
        assertThat(RequestMetadata.deadline(context, "1m")).isSameAs(context);
        assertThat(RequestMetadata.deadline(null, null)).isNull();
        assertThat(RequestMetadata.deadline(null, "soon")).isNull();
        assertThat(RequestMetadata.deadline(null, "123456789m"))
                .as("more than 8 digits")
                .isNull();
    }
}
