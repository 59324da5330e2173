package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Valkey round trips per successful call at steady state: two instances, two callers each, every
 * call admitted and recorded as a success, well under the limit. Counted by the private
 * redis-server itself (INFO commandstats: every script call, whatever its kind). Before leases each
 * admission was one EVALSHA: 1.0 per call.
 */
class AdmissionRoundTripsTest {

    @Test
    void fewerThanOneRoundTripInTenSuccessfulCalls() throws Exception {
        Provider provider = AdmissionContractTest.provider(5, 60, 1000, 20);
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission one = new ValkeyAdmission(redis.url() + "?timeout=2s", "r:", BreakerListener.NONE);
                ValkeyAdmission two = new ValkeyAdmission(redis.url() + "?timeout=2s", "r:", BreakerListener.NONE)) {
            LeaseAdmissionTest.subscribed(one, provider);
            LeaseAdmissionTest.subscribed(two, provider);
            calls(
                    List.of(one, two),
                    provider,
                    Duration.ofMillis(500),
                    2,
                    2_000_000); // warm-up: leases grow to the callers' rate
            long before = scripts(redis);
            long calls = calls(List.of(one, two), provider, Duration.ofSeconds(2), 2, 2_000_000);
            double perCall = (double) (scripts(redis) - before) / calls;
            System.out.printf(
                    "admission round trips: %d calls, %.4f Valkey script calls per successful call%n", calls, perCall);
            assertThat(calls).isGreaterThan(500);
            assertThat(perCall).isLessThan(0.1);
        }
    }

    @Test
    void fewerThanOneRoundTripInTenCallsWithManyCallersOnOneInstance() throws Exception {
        Provider provider = AdmissionContractTest.provider(5, 60, 1000, 20);
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission one = new ValkeyAdmission(redis.url() + "?timeout=2s", "r:", BreakerListener.NONE)) {
            LeaseAdmissionTest.subscribed(one, provider);
            // 32 callers, each at most 250 calls a second (a 4 ms gap): up to 8,000 a second, as the hub sees
            // under wrk -c32 (an unpaced loop of admissions alone would run into the limit of 100,000).
            calls(List.of(one), provider, Duration.ofMillis(500), 32, 4_000_000);
            long before = scripts(redis);
            long calls = calls(List.of(one), provider, Duration.ofSeconds(2), 32, 4_000_000);
            double perCall = (double) (scripts(redis) - before) / calls;
            System.out.printf(
                    "admission round trips, 32 callers on one instance: %d calls, %.4f per call%n", calls, perCall);
            assertThat(perCall).isLessThan(0.1);
        }
    }

    private static long scripts(PrivateRedis redis) throws Exception {
        return redis.calls("evalsha") + redis.calls("eval");
    }

    /** {@code callers} per instance, each pausing {@code gapNanos} between calls, admitted and recorded. */
    private static long calls(
            List<ValkeyAdmission> instances, Provider provider, Duration during, int callers, long gapNanos)
            throws Exception {
        AtomicLong admitted = new AtomicLong();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long end = System.nanoTime() + during.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(callers * instances.size());
        for (ValkeyAdmission instance : instances) {
            for (int t = 0; t < callers; t++) {
                pool.execute(() -> {
                    while (System.nanoTime() < end) {
                        Decision decision;
                        try {
                            decision = instance.admit(provider, 100_000, false);
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                            return;
                        }
                        if (!(decision instanceof Decision.Admitted)) {
                            failures.add(decision.toString());
                            return;
                        }
                        instance.record(provider, (Decision.Admitted) decision, Outcome.SUCCESS);
                        admitted.incrementAndGet();
                        if (gapNanos > 0) {
                            LockSupport.parkNanos(gapNanos);
                        }
                    }
                });
            }
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(during.toSeconds() + 30, TimeUnit.SECONDS))
                .isTrue();
        assertThat(failures).as("every call admitted").isEmpty();
        return admitted.get();
    }
}
