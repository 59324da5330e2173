package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The limiter with leases, as a property: many instances (each its own client, leases and event
 * subscription) calling one provider at random, bursty rates, some of them pausing the provider now
 * and then (every lease is then dropped and given back), never admit more than the limit in any
 * rolling second, all together; and once they stop, every lease has aged out of the window. The
 * arrival schedule comes from a seeded Random (the seed is in every failure message).
 */
class LeaseLimiterPropertyTest {
    private static final int LIMIT = 40;
    private static final int INSTANCES = 8;
    private static final Duration RUN = Duration.ofMillis(3000);

    @Test
    void manyInstancesAtRandomArrivalsNeverGoOverTheLimitInAnyRollingSecond() throws Exception {
        long seed = System.nanoTime();
        Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20);
        List<double[]> admitted = new CopyOnWriteArrayList<>();
        AtomicInteger pauses = new AtomicInteger();
        try (PrivateRedis redis = new PrivateRedis().start()) {
            List<ValkeyAdmission> instances = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                instances.add(new ValkeyAdmission(redis.url() + "?timeout=2s", "p:", BreakerListener.NONE));
            }
            try {
                for (ValkeyAdmission instance : instances) {
                    LeaseAdmissionTest.subscribed(instance, provider);
                }
                long origin = System.nanoTime();
                long end = origin + RUN.toNanos();
                ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
                for (int i = 0; i < INSTANCES; i++) {
                    ValkeyAdmission instance = instances.get(i);
                    Random random = new Random(seed + i);
                    pool.execute(() -> {
                        // Bursts: each phase of 50-400 ms calls at 0-400/s (exponential gaps), or not at all.
                        while (System.nanoTime() < end) {
                            long phaseEnd = System.nanoTime() + (50 + random.nextInt(350)) * 1_000_000L;
                            double perSecond = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 400;
                            while (System.nanoTime() < Math.min(phaseEnd, end)) {
                                if (perSecond == 0) {
                                    LockSupport.parkNanos(phaseEnd - System.nanoTime());
                                    continue;
                                }
                                LockSupport.parkNanos((long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9));
                                if (random.nextInt(400) == 0) {
                                    instance.pause(provider, Duration.ofMillis(20));
                                    pauses.incrementAndGet();
                                }
                                long started = System.nanoTime();
                                if (instance.admit(provider, LIMIT, false) instanceof Decision.Admitted) {
                                    admitted.add(
                                            new double[] {(started - origin) / 1e6, (System.nanoTime() - origin) / 1e6
                                            });
                                }
                            }
                        }
                    });
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(RUN.toSeconds() + 30, TimeUnit.SECONDS))
                        .isTrue();

                assertThat(admitted.size())
                        .as("seed %d: the limit is reached, not starved", seed)
                        .isGreaterThanOrEqualTo((int) (LIMIT * RUN.toSeconds() / 2));
                // Each admission happened within [its call's start, its return]: count only those surely inside.
                for (double[] first : admitted) {
                    double from = first[0];
                    long certainlyInside = admitted.stream()
                            .filter(span -> span[0] >= from && span[1] < from + 1000)
                            .count();
                    assertThat(certainlyInside)
                            .as("seed %d: admissions within the second from %.1f ms", seed, from)
                            .isLessThanOrEqualTo(LIMIT);
                }
                // Nothing stays charged: every lease is given back or expires, then ages out of the window.
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> instances.get(0).breaker(provider).callsInLastSecond() == 0);
            } finally {
                instances.forEach(ValkeyAdmission::close);
            }
        }
        System.out.printf(
                "lease property: seed %d, %d admitted in %d ms by %d instances (limit %d/s), %d pauses%n",
                seed, admitted.size(), RUN.toMillis(), INSTANCES, LIMIT, pauses.get());
    }
}
