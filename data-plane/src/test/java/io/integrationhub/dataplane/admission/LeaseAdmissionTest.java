package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.valkey.ValkeyKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Leases seen from outside: calls admitted without a Valkey round trip while a lease lasts, never
 * after it expires (this instance's clock is the test's), and dropped the moment another instance
 * opens the breaker or pauses the provider, not when the lease would have run out; unused permits
 * go back when the instance closes. A private
 * redis-server, so its command counts are the test's own.
 */
class LeaseAdmissionTest {

    @Test
    void callsAreAdmittedFromTheLeaseUntilItExpiresAndNotAfter() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission admission =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE, now::get)) {
            Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20);
            subscribed(admission, provider);
            // The clock stands still: every lease is spent at once, so the next one doubles (1, 2, 4, 8, 16).
            long before = redis.calls("evalsha");
            for (int i = 0; i < 31; i++) {
                admitted(admission, provider);
            }
            assertThat(redis.calls("evalsha") - before)
                    .as("31 admissions: leases of 2, 4, 8, 16, then 32 (one used)")
                    .isEqualTo(5);

            long leased = redis.calls("evalsha");
            for (int i = 0; i < 10; i++) {
                admitted(admission, provider);
            }
            assertThat(redis.calls("evalsha") - leased)
                    .as("from the lease: no round trip")
                    .isZero();

            now.addAndGet(ValkeyAdmission.LEASE.toNanos()); // the lease has 21 permits left, but its time is up
            long expired = redis.calls("evalsha");
            admitted(admission, provider);
            assertThat(redis.calls("evalsha") - expired)
                    .as("an expired lease admits nothing: Valkey is asked")
                    .isEqualTo(1);
        }
    }

    @Test
    void unusedPermitsGoBackWhenTheInstanceCloses() throws Exception {
        AtomicLong frozen = new AtomicLong(1_000_000_000L);
        try (PrivateRedis redis = new PrivateRedis().start()) {
            Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20);
            String log = new ValkeyKeys("t:").limiter(provider.id());
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> inspector = client.connect()) {
                ValkeyAdmission holder =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE, frozen::get);
                subscribed(holder, provider); // 1 permit, used
                for (int i = 0; i < 3; i++) {
                    admitted(holder, provider); // a lease of 2 (both used), then one of 4 (one used)
                }
                assertThat(charged(inspector, log))
                        .as("every leased permit is charged, used or not")
                        .isEqualTo(7);
                holder.close();
                assertThat(charged(inspector, log))
                        .as("the 3 unused went back; the 4 used stay")
                        .isEqualTo(4);
            } finally {
                client.shutdown();
            }
        }
    }

    /** Permits charged to the limiter's log: the sum over its members ({@code <lease id>/<permits>}). */
    private static int charged(StatefulRedisConnection<String, String> inspector, String log) {
        return inspector.sync().zrange(log, 0, -1).stream()
                .mapToInt(member -> Integer.parseInt(member.substring(member.lastIndexOf('/') + 1)))
                .sum();
    }

    @Test
    void anotherInstanceOpeningTheBreakerDropsTheLeaseAtOnce() throws Exception {
        AtomicLong frozen = new AtomicLong(1_000_000_000L); // this instance's leases never expire by time
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission holder =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE, frozen::get);
                ValkeyAdmission other = new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE)) {
            Provider provider = AdmissionContractTest.provider(1, 60, 1000, 20);
            subscribed(holder, provider);
            for (int i = 0; i < 8; i++) {
                admitted(holder, provider); // leases of 1, 2, 4: the last one still has permits
            }
            other.record(provider, admitted(other, provider), Outcome.FAILURE); // threshold 1: opened
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> holder.admit(provider, 1000, false) instanceof Decision.CircuitOpen);
        }
    }

    @Test
    void anotherInstancesPauseDropsTheLeaseAtOnce() throws Exception {
        AtomicLong frozen = new AtomicLong(1_000_000_000L);
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission holder =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE, frozen::get);
                ValkeyAdmission other = new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE)) {
            Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20);
            subscribed(holder, provider);
            for (int i = 0; i < 8; i++) {
                admitted(holder, provider);
            }
            other.pause(provider, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> holder.admit(provider, 1000, false) instanceof Decision.ProviderThrottled);
        }
    }

    @Test
    void aFailureElsewhereMakesThisInstanceSendItsSuccessesAgain() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission holder = new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE);
                ValkeyAdmission other = new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE)) {
            Provider provider = AdmissionContractTest.provider(3, 60, 1000, 20);
            subscribed(holder, provider);
            Decision.Admitted clean = admitted(holder, provider);
            other.record(provider, admitted(other, provider), Outcome.FAILURE);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> holder.breaker(provider).consecutiveFailures() == 1);
            // The holder admitted its call while the count was clean; the failure's event tells it that
            // its success now changes something. Polled: the event may still be on its way.
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        holder.record(provider, clean, Outcome.SUCCESS);
                        return holder.breaker(provider).consecutiveFailures() == 0;
                    });
        }
    }

    /** The first admission subscribes; wait until events are heard, so the next ones lease. */
    static void subscribed(ValkeyAdmission admission, Provider provider) {
        admission.admit(provider, 1000, false);
        await().atMost(Duration.ofSeconds(5)).until(admission::listening);
    }

    private static Decision.Admitted admitted(Admission admission, Provider provider) {
        Decision decision = admission.admit(provider, 1000, false);
        assertThat(decision).isInstanceOf(Decision.Admitted.class);
        return (Decision.Admitted) decision;
    }
}
