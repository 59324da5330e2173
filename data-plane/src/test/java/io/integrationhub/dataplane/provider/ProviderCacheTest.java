package io.integrationhub.dataplane.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two data-plane instances on one registry: a change through one reaches the other's cache within a second. */
@Tag("hub")
class ProviderCacheTest {
    private static WireMockServer provider;
    private static TestHub first;
    private static TestHub second;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(urlPathMatching("/v[0-9]/.*"))
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        first = TestHub.start(Map.of());
        second = TestHub.sharing(first.database(), Map.of(), Hub.Options.defaults());
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        provider.stop();
    }

    private static Answer callThroughSecond(String name) {
        return second.client()
                .send(
                        "POST",
                        "/api/v1/integrations/call",
                        second.token("cache", Scope.CALL),
                        "{\"provider\":\"" + name + "\",\"method\":\"GET\",\"path\":\"/ping\"}",
                        Map.of("Content-Type", "application/json"));
    }

    private static void patchThroughFirst(String name, String patch) {
        Answer answer = first.client()
                .send(
                        "PATCH",
                        Providers.PATH + "/" + name,
                        first.adminToken("cache"),
                        patch,
                        Map.of("Content-Type", "application/merge-patch+json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static String lastPath() {
        var events = provider.getAllServeEvents();
        return events.get(0).getRequest().getUrl(); // newest first
    }

    @Test
    void aChangeThroughOneInstanceReachesTheOthersCacheWithinASecond() {
        Providers.create(first, "cache", """
                {"name": "moving", "type": "custom", "baseUrl": "http://127.0.0.1:%d/v1", "auth": {"type": "none"},
                 "config": {"allowPrivateNetwork": true}}""".formatted(provider.port()));
        assertThat(callThroughSecond("moving").status()).isEqualTo(200);
        assertThat(lastPath()).isEqualTo("/v1/ping");
        // Behind the registry's back (no notification) the cached provider is still used: the cache is real.
        try (var db = first.database().connect();
                var statement = db.createStatement()) {
            statement.executeUpdate("UPDATE providers SET base_url = 'http://127.0.0.1:" + provider.port() + "/v9'"
                    + " WHERE name = 'moving' AND tenant_id = 'cache'");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(callThroughSecond("moving").status()).isEqualTo(200);
        assertThat(lastPath()).as("served from the cache").isEqualTo("/v1/ping");

        patchThroughFirst("moving", "{\"baseUrl\": \"http://127.0.0.1:" + provider.port() + "/v2\"}");
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(callThroughSecond("moving").status()).isEqualTo(200);
                    assertThat(lastPath()).isEqualTo("/v2/ping");
                });

        patchThroughFirst("moving", "{\"status\": \"disabled\"}");
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(
                        () -> assertThat(callThroughSecond("moving").status()).isEqualTo(409));

        Answer deleted =
                first.client().send("DELETE", Providers.PATH + "/moving", first.adminToken("cache"), null, Map.of());
        assertThat(deleted.status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(
                        () -> assertThat(callThroughSecond("moving").status()).isEqualTo(404));
    }

    @Test
    void rotatedCredentialsAreUsedByTheOtherInstanceWithinASecond() {
        Providers.create(first, "cache", """
                {"name": "rotating", "type": "custom", "baseUrl": "http://127.0.0.1:%d/v3", "auth": {"type": "bearer",
                 "credentials": {"token": "old-token"}}, "config": {"allowPrivateNetwork": true}}""".formatted(provider.port()));
        assertThat(callThroughSecond("rotating").status()).isEqualTo(200);
        assertThat(provider.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                .isEqualTo("Bearer old-token");
        patchThroughFirst(
                "rotating", "{\"auth\": {\"type\": \"bearer\", \"credentials\": {\"token\": \"new-token\"}}}");
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(callThroughSecond("rotating").status()).isEqualTo(200);
                    assertThat(provider.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                            .isEqualTo("Bearer new-token");
                });
    }
}
