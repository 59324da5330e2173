package io.integrationhub.dataplane.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.HostResolver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drives calls of every outcome through a real hub and reads the counters and histograms back from
 * {@code /metrics}, as Prometheus would.
 */
@Tag("hub")
class MetricsTest {
    private static final String CALL = "/api/v1/integrations/call";
    private static final String TENANT = "metrics";
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static WireMockServer upstream;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(any(urlPathMatching("/ok/.*"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        upstream.stubFor(
                any(urlPathMatching("/missing/.*")).willReturn(aResponse().withStatus(404)));
        upstream.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(503)));
        upstream.stubFor(any(urlPathMatching("/slow/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1200)));
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()));
    }

    @AfterAll
    static void stop() {
        hub.close();
        upstream.stop();
    }

    private static String provider(String name, String config) {
        return Providers.create(hub, TENANT, Providers.local(name, upstream.port(), "{\"type\":\"none\"}", config));
    }

    private static int call(String provider, String path, String key) {
        String envelope = "{\"provider\": \"" + provider + "\", \"method\": \"GET\", \"path\": \"" + path + "\""
                + (key == null ? "" : ", \"idempotencyKey\": \"" + key + "\"") + "}";
        return hub.client()
                .send("POST", CALL, hub.token(TENANT, Scope.CALL), envelope, Map.of("Content-Type", "application/json"))
                .status();
    }

    private static Scrape scrape(TestHub from) {
        Answer answer = from.management().get("/metrics", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        return Scrape.parse(answer.body());
    }

    @Test
    void everyOutcomeIsCountedAndTimedPerProvider() throws Exception {
        String ok = provider("ok", "");
        String flaky =
                provider("flaky", "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 2}");
        String tight = provider("tight", "\"rateLimitPerSec\": 1");
        String narrow = provider("narrow", "\"maxConcurrency\": 1");
        String sluggish = provider("sluggish", "\"timeoutMs\": 300, \"retry\": {\"maxAttempts\": 1}");

        assertThat(call("ok", "/ok/1", "m-1")).isEqualTo(200);
        assertThat(call("ok", "/ok/2", null)).isEqualTo(200);
        assertThat(call("ok", "/ok/1", "m-1")).as("replayed").isEqualTo(200);
        assertThat(call("ok", "/missing/1", null)).isEqualTo(404);
        assertThat(call("flaky", "/fail/1", null)).as("two attempts, parked").isEqualTo(502);
        assertThat(call("flaky", "/fail/1", null)).as("circuit open").isEqualTo(503);
        assertThat(call("tight", "/ok/3", null)).isEqualTo(200);
        assertThat(call("tight", "/ok/3", null)).as("rate limited").isEqualTo(429);
        assertThat(call("sluggish", "/slow/1", null)).as("timed out, parked").isEqualTo(504);
        assertThat(call("ghost", "/ok/1", null)).isEqualTo(404);
        CompletableFuture<Integer> holding = CompletableFuture.supplyAsync(() -> call("narrow", "/slow/2", null));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !upstream.findAll(anyRequestedFor(urlPathMatching("/slow/2")))
                        .isEmpty());
        assertThat(call("narrow", "/ok/4", null)).as("concurrency limited").isEqualTo(429);
        assertThat(holding.get()).isEqualTo(200);

        Scrape metrics = scrape(hub);
        String calls = "integration_hub_calls_total";
        assertThat(metrics.value(calls, "provider", ok, "outcome", "success")).isEqualTo(2);
        assertThat(metrics.value(calls, "provider", ok, "module", "test", "outcome", "success"))
                .as("the module: the test token's sub, as it names no module")
                .isEqualTo(2);
        assertThat(metrics.value(calls, "provider", ok, "outcome", "replayed")).isEqualTo(1);
        assertThat(metrics.value(calls, "provider", ok, "outcome", "client_error"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", flaky, "outcome", "upstream_failed"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", flaky, "outcome", "circuit_open"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", tight, "outcome", "success"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", tight, "outcome", "rate_limited"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", sluggish, "outcome", "upstream_timeout"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", narrow, "outcome", "concurrency_limited"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", narrow, "outcome", "success"))
                .isEqualTo(1);
        assertThat(metrics.value(calls, "provider", "unknown", "outcome", "provider_not_found"))
                .isEqualTo(1);

        assertThat(metrics.value("integration_hub_rate_limited_total", "provider", tight))
                .isEqualTo(1);
        assertThat(metrics.value("integration_hub_concurrency_limited_total", "provider", narrow))
                .isEqualTo(1);
        assertThat(metrics.value("integration_hub_dlq_parked_total", "provider", flaky))
                .isEqualTo(1);
        assertThat(metrics.value("integration_hub_dlq_parked_total", "provider", sluggish))
                .isEqualTo(1);
        assertThat(metrics.value("integration_hub_dlq_parked_total", "provider", ok))
                .isZero();
        // The depth: entries still waiting, by status (counted at scrape time, at most a second old).
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Scrape fresh = scrape(hub);
            assertThat(fresh.value("integration_hub_dlq_entries", "provider", flaky, "status", "pending"))
                    .isEqualTo(1);
            assertThat(fresh.value("integration_hub_dlq_entries", "provider", sluggish, "status", "pending"))
                    .isEqualTo(1);
            assertThat(fresh.value("integration_hub_dlq_entries", "provider", ok, "status", "pending"))
                    .isZero();
        });

        // Total latency: a histogram whose buckets place each call.
        String total = "integration_hub_call_duration_seconds";
        assertThat(metrics.value(total + "_count", "provider", ok, "outcome", "success"))
                .isEqualTo(2);
        assertThat(metrics.value(total + "_bucket", "provider", ok, "outcome", "success", "le", "+Inf"))
                .isEqualTo(2);
        assertThat(metrics.value(total + "_bucket", "provider", sluggish, "outcome", "upstream_timeout", "le", "0.25"))
                .isZero();
        assertThat(metrics.value(total + "_bucket", "provider", sluggish, "outcome", "upstream_timeout", "le", "1.0"))
                .isEqualTo(1);
        assertThat(metrics.value(total + "_sum", "provider", sluggish, "outcome", "upstream_timeout"))
                .isBetween(0.3, 1.2);
        assertThat(metrics.value(total + "_bucket", "provider", narrow, "outcome", "success", "le", "1.0"))
                .isZero();
        assertThat(metrics.value(total + "_bucket", "provider", narrow, "outcome", "success", "le", "2.5"))
                .isEqualTo(1);

        // Upstream latency per attempt, by result.
        String upstreamLatency = "integration_hub_upstream_duration_seconds";
        assertThat(metrics.value(upstreamLatency + "_count", "provider", ok, "result", "2xx"))
                .as("the replay sent nothing")
                .isEqualTo(2);
        assertThat(metrics.value(upstreamLatency + "_count", "provider", ok, "result", "4xx"))
                .isEqualTo(1);
        assertThat(metrics.value(upstreamLatency + "_count", "provider", flaky, "result", "5xx"))
                .isEqualTo(2);
        assertThat(metrics.value(upstreamLatency + "_count", "provider", sluggish, "result", "timeout"))
                .isEqualTo(1);

        // Attempts per call.
        assertThat(metrics.value("integration_hub_call_attempts_count", "provider", flaky))
                .isEqualTo(2);
        assertThat(metrics.value("integration_hub_call_attempts_sum", "provider", flaky))
                .as("2 attempts, then 0 (circuit open)")
                .isEqualTo(2);
        assertThat(metrics.value("integration_hub_call_attempts_bucket", "provider", flaky, "le", "1.0"))
                .isEqualTo(1);
        assertThat(metrics.value("integration_hub_call_attempts_bucket", "provider", flaky, "le", "2.0"))
                .isEqualTo(2);

        // Breaker state and degraded mode.
        assertThat(metrics.value("integration_hub_circuit_state", "provider", flaky))
                .isEqualTo(2);
        assertThat(metrics.value("integration_hub_circuit_state", "provider", ok))
                .isZero();
        assertThat(metrics.value("integration_hub_degraded")).isZero();

        // JVM and process metrics.
        assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
        assertThat(metrics.has("jvm_gc_pause_seconds_count") || metrics.has("jvm_gc_memory_allocated_bytes_total"))
                .isTrue();
        assertThat(metrics.has("jvm_threads_live_threads")).isTrue();
        assertThat(metrics.has("process_uptime_seconds")).isTrue();

        // What the chart's dashboard and alerts query is what the hub exports.
        Set<String> queried = new java.util.TreeSet<>();
        for (String file :
                new String[] {"dashboards/integration-hub.json", "templates/data-plane-prometheus-rule.yaml"}) {
            var names = java.util.regex.Pattern.compile("\\bintegration_hub_[a-z_]+")
                    .matcher(java.nio.file.Files.readString(
                            java.nio.file.Path.of("../helm/integration-hub").resolve(file)));
            while (names.find()) {
                queried.add(names.group());
            }
        }
        assertThat(queried)
                .hasSizeGreaterThan(8)
                .allSatisfy(name -> assertThat(metrics.has(name)).as(name).isTrue());

        // Bounded labels: provider ids, outcomes, results, DLQ statuses and buckets; never a path.
        assertThat(metrics.samples())
                .filteredOn(s -> s.name().startsWith("integration_hub_"))
                .allSatisfy(s -> {
                    assertThat(Set.of("provider", "module", "outcome", "result", "status", "le"))
                            .containsAll(s.labels().keySet());
                    assertThat(s.labels().values()).noneMatch(v -> v.contains("/"));
                });
    }

    @Test
    void degradedModeIsAGaugeOfOne() {
        try (TestHub degraded = TestHub.start(Map.of("INTEGRATION_VALKEY_URL", "redis://127.0.0.1:1"))) {
            assertThat(scrape(degraded).value("integration_hub_degraded")).isEqualTo(1);
        }
    }
}
