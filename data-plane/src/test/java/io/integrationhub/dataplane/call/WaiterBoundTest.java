package io.integrationhub.dataplane.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, acceptance 6's second half on a real hub: beyond INTEGRATION_MAX_WAITERS a call that
 * would wait for a slot is answered 503 {@code overloaded} at once (WaitersTest shows the bound
 * itself). The bound here is 0, so the first call that would wait meets it: deterministic, with no
 * race against the slot freeing.
 */
@Tag("hub")
class WaiterBoundTest {
    private static final String TENANT = "waiters";

    @Test
    void beyondTheWaiterBoundACallIsAnswered503OverloadedAtOnce() {
        WireMockServer provider =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        try (TestHub hub = TestHub.start(Map.of("INTEGRATION_MAX_WAITERS", "0"))) {
            provider.stubFor(
                    any(urlPathEqualTo("/v1/mail")).willReturn(aResponse().withStatus(200)));
            Providers.create(hub, TENANT, Providers.local("mail", provider.port(), "{\"type\":\"none\"}", """
                    "rateLimitPerSec": 1, "maxQueueMs": 5000"""));

            assertThat(send(hub).status()).isEqualTo(200); // the second's one slot
            long started = System.nanoTime();
            Answer beyond = send(hub); // would wait for the next slot: no room to wait on this instance
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(beyond.status()).as(beyond.body()).isEqualTo(503);
            assertThat(beyond.json().path("type").asText()).endsWith("overloaded");
            assertThat(beyond.header("Retry-After")).contains("1");
            assertThat(tookMillis).as("answered at once, not after waiting").isLessThan(900);
            provider.verify(1, anyRequestedFor(urlPathEqualTo("/v1/mail")));
        } finally {
            provider.stop();
        }
    }

    private static Answer send(TestHub hub) {
        return hub.client()
                .send(
                        "POST",
                        "/api/v1/integrations/call",
                        hub.token(TENANT, Scope.CALL),
                        "{\"provider\": \"mail\", \"method\": \"POST\", \"path\": \"/v1/mail\"}",
                        Map.of("Content-Type", "application/json"));
    }
}
