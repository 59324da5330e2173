package io.integrationhub.dataplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.testkit.TcpProxy;
import io.integrationhub.testkit.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL cut off under a running hub (a TCP proxy of the test's own; the shared server is never
 * touched): the hub answers a documented, retryable 503 instead of a 500, readiness says DOWN, and
 * everything works again once the database is back.
 */
@Tag("hub")
class RegistryOutageTest {

    @Test
    void aLostRegistryIsAnAnnouncedOutageNotAnInternalError() {
        try (TestDatabase database = TestDatabase.create();
                TcpProxy proxy = TcpProxy.start(
                        "127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("HUB_TEST_PG_PORT", "5432")));
                TestHub hub = TestHub.sharing(
                        database,
                        Map.of(
                                "INTEGRATION_DB_URL",
                                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name()),
                        Hub.Options.defaults())) {
            String token = hub.adminToken("outage");
            Answer created = hub.client()
                    .send(
                            "POST",
                            "/api/v1/integrations/providers",
                            token,
                            "{\"name\":\"p\",\"type\":\"sms\",\"baseUrl\":\"https://sms.example.test\"}",
                            Map.of("Content-Type", "application/json"));
            assertThat(created.status()).isEqualTo(201);

            proxy.down();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Answer answer = hub.client().get("/api/v1/integrations/providers/p", token);
                assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                assertThat(answer.json().path("type").asText()).isEqualTo("unavailable");
                assertThat(answer.header("Retry-After")).contains("5");
            });
            Answer call = hub.client()
                    .send(
                            "POST",
                            "/api/v1/integrations/call",
                            hub.token("outage", Scope.CALL),
                            "{\"provider\":\"unknown\",\"method\":\"GET\",\"path\":\"/\"}",
                            Map.of("Content-Type", "application/json"));
            assertThat(call.status()).as(call.body()).isEqualTo(503);
            assertThat(hub.client().get("/health/ready", null).status()).isEqualTo(503);

            proxy.up();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(hub.client()
                                    .get("/api/v1/integrations/providers/p", token)
                                    .status())
                            .isEqualTo(200));
            assertThat(hub.client().get("/health/ready", null).status()).isEqualTo(200);
        }
    }
}
