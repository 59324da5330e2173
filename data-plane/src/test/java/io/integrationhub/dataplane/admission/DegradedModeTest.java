package io.integrationhub.dataplane.admission;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Valkey really stopped and started again under a running hub (a private redis-server on a free port). */
@Tag("hub")
class DegradedModeTest {

    @Test
    void callsKeepFlowingWhileValkeyIsDownAndSharedStateReturnsWithIt() throws Exception {
        WireMockServer provider =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (PrivateRedis redis = new PrivateRedis().start();
                TestHub hub = TestHub.start(
                        Map.of("INTEGRATION_VALKEY_URL", redis.url(), "INTEGRATION_EXPECTED_REPLICAS", "2"))) {
            Providers.create(
                    hub,
                    "deg",
                    Providers.local(
                            "steady",
                            provider.port(),
                            "{\"type\":\"none\"}",
                            "\"rateLimitPerSec\": 1000, \"retry\": {\"maxAttempts\": 1}"));
            assertThat(call(hub).status()).isEqualTo(200);
            // Looked at first: the limiter's entry ages out 2 s after the call, which a loaded machine can spend on
            // /ready.
            assertThat(keysIn(redis)).as("admission used the shared state").isPositive();
            assertThat(ready(hub).path("checks").path("valkey").asText()).isEqualTo("UP");

            redis.stop();
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                Answer answer = call(hub);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("a dead Valkey adds little")
                        .isLessThan(Duration.ofSeconds(1));
            }
            var readiness = ready(hub);
            assertThat(readiness.path("status").asText())
                    .as("degradation is not fatal")
                    .isEqualTo("UP");
            assertThat(readiness.path("checks").path("valkey").asText()).isEqualTo("DEGRADED");
            assertThat(readiness.path("degraded").asBoolean()).isTrue();
            assertThat(hub.client()
                            .get("/api/v1/integrations/providers/steady/health", hub.token("deg", Scope.PROVIDERS_READ))
                            .json()
                            .path("degraded")
                            .asBoolean())
                    .isTrue();

            redis.start(); // same port, empty: no keys, no loaded scripts (NOSCRIPT must be handled)
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            ready(hub).path("checks").path("valkey").asText().equals("UP"));
            assertThat(call(hub).status()).isEqualTo(200);
            assertThat(keysIn(redis))
                    .as("back on the shared state, scripts reloaded")
                    .isPositive();
        } finally {
            provider.stop();
        }
    }

    @Test
    void scriptsFlushedFromValkeyAreLoadedAgain() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission admission = new ValkeyAdmission(redis.url(), "", BreakerListener.NONE)) {
            var provider = AdmissionContractTest.provider(5, 60, 1000, 20);
            assertThat(admission.admit(provider, 10, false)).isInstanceOf(Decision.Admitted.class);
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().scriptFlush();
                assertThat(admission.admit(provider, 10, false)).isInstanceOf(Decision.Admitted.class);
                assertThat(connection.sync().zcard("{p:" + provider.id() + "}:rl"))
                        .isEqualTo(2);
            } finally {
                client.shutdown();
            }
        }
    }

    private static Answer call(TestHub hub) {
        return hub.client()
                .send(
                        "POST",
                        "/api/v1/integrations/call",
                        hub.token("deg", Scope.CALL),
                        "{\"provider\":\"steady\",\"method\":\"GET\",\"path\":\"/x\"}",
                        Map.of("Content-Type", "application/json"));
    }

    private static com.fasterxml.jackson.databind.JsonNode ready(TestHub hub) {
        return hub.client().get("/health/ready", null).json();
    }

    private static long keysIn(PrivateRedis redis) {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().dbsize();
        } finally {
            client.shutdown();
        }
    }
}
