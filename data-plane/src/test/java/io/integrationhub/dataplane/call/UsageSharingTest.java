package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.dataplane.TestProviders;
import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.BreakerListener;
import io.integrationhub.dataplane.admission.FailoverAdmission;
import io.integrationhub.dataplane.admission.InProcessAdmission;
import io.integrationhub.dataplane.admission.ValkeyAdmission;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.provider.ProviderHealth;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderConfig.Priority;
import io.integrationhub.registry.valkey.ValkeyKeys;
import io.integrationhub.testkit.StoppedClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Provider health's usage is the whole fleet's: each instance shares its rolling second through
 * Valkey and health sums them (acceptance: "provider health shows usage per module and class"
 * across instances); an instance that stopped sharing drops out, and without Valkey each instance
 * shows its own, saying so.
 */
class UsageSharingTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final Provider provider = TestProviders.withConfig(ProviderConfig.defaults());

    @Test
    void healthSumsWhatEveryInstanceSharedAndDropsAnInstanceThatStopped() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission a = new ValkeyAdmission(redis.url() + "?timeout=2s", "u:", BreakerListener.NONE);
                ValkeyAdmission b = new ValkeyAdmission(redis.url() + "?timeout=2s", "u:", BreakerListener.NONE)) {
            CallStats onA = stats();
            CallStats onB = stats();
            admit(onA, "reports", Priority.BATCH, 3);
            admit(onB, "reports", Priority.BATCH, 1);
            admit(onB, "payments", Priority.CRITICAL, 2);
            try (UsageSharing sharingB = new UsageSharing(onB, b)) {
                sharingB.shareOnce();
            }

            JsonNode usage = health(a, onA).path("usage");
            assertThat(usage.path("scope").asText()).isEqualTo("cluster");
            assertThat(usage.path("instances").asInt()).isEqualTo(2);
            assertThat(usage.path("byModule").path("reports").asInt()).isEqualTo(4);
            assertThat(usage.path("byModule").path("payments").asInt()).isEqualTo(2);
            assertThat(usage.path("byClass").path("critical").asInt()).isEqualTo(2);
            assertThat(usage.path("byClass").path("default").asInt()).isZero();
            assertThat(usage.path("byClass").path("batch").asInt()).isEqualTo(4);

            // An instance whose entry was not refreshed for two seconds (gone, or cut off) no longer counts,
            // and its field is removed: the hash holds one field per live instance.
            String key = new ValkeyKeys("u:").usage(provider.id());
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> valkey = client.connect()) {
                valkey.sync().hset(key, "gone", "1000|{\"byClass\":{\"batch\":50},\"byModule\":{\"ghost\":50}}");
                JsonNode later = health(a, onA).path("usage");
                assertThat(later.path("instances").asInt()).isEqualTo(2);
                assertThat(later.path("byModule").has("ghost")).isFalse();
                assertThat(valkey.sync().hexists(key, "gone")).isFalse();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void withoutValkeyEachInstanceShowsItsOwnUsageAndSaysSo() {
        CallStats here = stats();
        admit(here, "reports", Priority.BATCH, 2);
        try (FailoverAdmission admission = new FailoverAdmission(
                new ValkeyAdmission("redis://127.0.0.1:1?timeout=50ms", "u:", BreakerListener.NONE),
                new InProcessAdmission(Clock.systemUTC(), BreakerListener.NONE),
                2,
                Duration.ofMinutes(1))) {
            try (UsageSharing sharing = new UsageSharing(here, admission)) {
                sharing.shareOnce(); // while degraded: nothing shared, nothing thrown
            }
            JsonNode usage = health(admission, here).path("usage");
            assertThat(usage.path("scope").asText()).isEqualTo("instance");
            assertThat(usage.path("instances").asInt()).isEqualTo(1);
            assertThat(usage.path("byModule").path("reports").asInt()).isEqualTo(2);
        }
    }

    private JsonNode health(Admission admission, CallStats stats) {
        return new ProviderHealth(admission, stats, 100, new Waiters(10)).of(provider);
    }

    private CallStats stats() {
        return new CallStats(new StoppedClock(NOW));
    }

    private void admit(CallStats stats, String module, Priority priority, int times) {
        for (int i = 0; i < times; i++) {
            stats.admitted(provider.id(), module, priority);
        }
    }
}
