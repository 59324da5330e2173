package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.TestProviders;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.testkit.PrivateValkeyCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONE contract for the breaker, limiter, pause and retry budget, run against both adapters: the
 * in-process one (Java) and the shared one (Lua in the real local Redis, under a key prefix of its
 * own, and in a private Valkey Cluster of three masters with a replica each). Real time: the
 * shortest windows the config allows (1 s).
 */
@Tag("slow")
class AdmissionContractTest {
    private static final String PREFIX = "test-" + UUID.randomUUID() + ":";
    private static final List<ValkeyAdmission> OPENED = new CopyOnWriteArrayList<>();
    private static final List<ValkeyAdmission> CLUSTERED = new CopyOnWriteArrayList<>();
    private static final RedisClient INSPECTOR = RedisClient.create("redis://127.0.0.1:6379");
    private static final StatefulRedisConnection<String, String> INSPECTION = INSPECTOR.connect();

    private static PrivateValkeyCluster cluster;

    static Stream<Arguments> adapters() throws Exception {
        ValkeyAdmission valkey = new ValkeyAdmission("redis://127.0.0.1:6379?timeout=2s", PREFIX, BreakerListener.NONE);
        OPENED.add(valkey);
        if (cluster == null) {
            cluster = PrivateValkeyCluster.start();
        }
        ValkeyAdmission clustered = new ValkeyAdmission(cluster.url() + "?timeout=2s", PREFIX, BreakerListener.NONE);
        OPENED.add(clustered);
        CLUSTERED.add(clustered);
        return Stream.of(
                Arguments.of(Named.of("in-process", new InProcessAdmission(Clock.systemUTC(), BreakerListener.NONE))),
                Arguments.of(Named.of("valkey", valkey)),
                Arguments.of(Named.of("valkey-cluster", clustered)));
    }

    @AfterAll
    static void close() {
        OPENED.forEach(ValkeyAdmission::close);
        INSPECTION.close();
        INSPECTOR.shutdown();
        if (cluster != null) {
            cluster.close();
        }
        RedisKeys.deleteWithPrefix("redis://127.0.0.1:6379", PREFIX);
    }

    static Provider provider(int threshold, int openSec, int timeoutMs, int budgetPercent) {
        ProviderConfig config = ProviderConfig.builder()
                .timeoutMs(timeoutMs)
                .retry(new ProviderConfig.Retry(5, 0, 2, 0, budgetPercent))
                .circuitBreaker(new ProviderConfig.CircuitBreaker(threshold, 1, openSec, 1))
                .build();
        return TestProviders.withConfig(config);
    }

    private static Decision.Admitted admitted(Admission admission, Provider provider) {
        Decision decision = admission.admit(provider, 1000, false);
        assertThat(decision).isInstanceOf(Decision.Admitted.class);
        return (Decision.Admitted) decision;
    }

    private static void fail(Admission admission, Provider provider, int times) {
        for (int i = 0; i < times; i++) {
            admission.record(provider, admitted(admission, provider), Outcome.FAILURE);
        }
    }

    /** Outcomes are recorded asynchronously by the shared adapter: wait until the breaker shows the state. */
    private static void awaitState(Admission admission, Provider provider, String state) {
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(
                        () -> assertThat(admission.breaker(provider).state()).isEqualTo(state));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void opensAfterThresholdConsecutiveFailuresAndASuccessResetsTheCount(Admission admission) {
        Provider provider = provider(3, 60, 1000, 20);
        fail(admission, provider, 2);
        admission.record(provider, admitted(admission, provider), Outcome.SUCCESS);
        fail(admission, provider, 2);
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(admission.breaker(provider).consecutiveFailures())
                        .isEqualTo(2));
        assertThat(admission.breaker(provider).state()).isEqualTo("closed");
        admission.record(provider, admitted(admission, provider), Outcome.NEUTRAL); // 4xx: not a failure, not a success
        fail(admission, provider, 1);
        awaitState(admission, provider, "open");
        Decision rejected = admission.admit(provider, 1000, false);
        assertThat(rejected).isInstanceOf(Decision.CircuitOpen.class);
        assertThat(((Decision.CircuitOpen) rejected).retryAfter())
                .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void afterOpenSecExactlyOneProbeGoesAndItsOutcomeDecides(Admission admission) throws Exception {
        Provider provider = provider(1, 1, 5000, 20);
        fail(admission, provider, 1);
        awaitState(admission, provider, "open");
        await().pollDelay(Duration.ofMillis(1050))
                .atMost(Duration.ofSeconds(3))
                .until(() -> admission.breaker(provider).untilHalfOpen().isZero());
        List<Decision> decisions = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 20; i++) {
            pool.execute(() -> decisions.add(admission.admit(provider, 1000, false)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        List<Decision.Admitted> probes = decisions.stream()
                .filter(Decision.Admitted.class::isInstance)
                .map(Decision.Admitted.class::cast)
                .toList();
        assertThat(probes).hasSize(1);
        assertThat(probes.get(0).probe()).isTrue();
        assertThat(decisions).filteredOn(Decision.CircuitOpen.class::isInstance).hasSize(19);

        admission.record(provider, probes.get(0), Outcome.FAILURE);
        awaitState(admission, provider, "open");
        await().pollDelay(Duration.ofMillis(1050))
                .atMost(Duration.ofSeconds(3))
                .until(() -> admission.breaker(provider).untilHalfOpen().isZero());
        Decision.Admitted second = admitted(admission, provider);
        assertThat(second.probe()).isTrue();
        admission.record(provider, second, Outcome.SUCCESS);
        awaitState(admission, provider, "closed");
        assertThat(admitted(admission, provider).probe()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aProbeWhoseOwnerDiedDoesNotWedgeTheBreaker(Admission admission) {
        Provider provider = provider(1, 1, 2000, 20); // the probe lease: generous, so a slow machine cannot outrun it
        fail(admission, provider, 1);
        awaitState(admission, provider, "open");
        await().pollDelay(Duration.ofMillis(1050))
                .atMost(Duration.ofSeconds(3))
                .until(() -> admission.admit(provider, 1000, false) instanceof Decision.Admitted a && a.probe());
        // The probe's owner never records. Others are refused while its lease runs, then one may probe again.
        assertThat(admission.admit(provider, 1000, false)).isInstanceOf(Decision.CircuitOpen.class);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> admission.admit(provider, 1000, false) instanceof Decision.Admitted a && a.probe());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aResultFromBeforeATransitionDoesNotCountInTheNewState(Admission admission) {
        Provider provider = provider(2, 1, 5000, 20);
        Decision.Admitted slow = admitted(admission, provider);
        fail(admission, provider, 2);
        awaitState(admission, provider, "open");
        await().pollDelay(Duration.ofMillis(1050))
                .atMost(Duration.ofSeconds(3))
                .until(() -> admission.breaker(provider).untilHalfOpen().isZero());
        Decision.Admitted probe = admitted(admission, provider);
        admission.record(provider, probe, Outcome.SUCCESS);
        awaitState(admission, provider, "closed");
        admission.record(provider, slow, Outcome.FAILURE); // admitted two transitions ago
        fail(admission, provider, 1);
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(admission.breaker(provider).consecutiveFailures())
                        .isEqualTo(1));
        assertThat(admission.breaker(provider).state()).isEqualTo("closed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void neverMoreThanTheLimitInAnyRollingSecond(Admission admission) throws Exception {
        Provider provider = provider(1000, 60, 1000, 20);
        // Each admission happened somewhere between the moment its call started and the moment it returned.
        List<long[]> admittedWithin = new CopyOnWriteArrayList<>();
        List<Duration> waits = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long end = System.currentTimeMillis() + 1600;
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                while (System.currentTimeMillis() < end) {
                    long started = System.currentTimeMillis();
                    Decision decision = admission.admit(provider, 20, false);
                    if (decision instanceof Decision.Admitted) {
                        admittedWithin.add(new long[] {started, System.currentTimeMillis()});
                    } else if (decision instanceof Decision.RateLimited limited) {
                        waits.add(limited.retryAfter());
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(admittedWithin.size()).isBetween(20, 42);
        // Sound under descheduling: only admissions that certainly fell inside the second starting at a call's
        // start are counted (started at or after it, returned before it ended).
        for (long[] first : admittedWithin) {
            long from = first[0];
            long certainlyInside = admittedWithin.stream()
                    .filter(span -> span[0] >= from && span[1] < from + 1000)
                    .count();
            assertThat(certainlyInside)
                    .as("admissions within the second from %d", from)
                    .isLessThanOrEqualTo(20);
        }
        assertThat(waits)
                .isNotEmpty()
                .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
    }

    /** Admissions in a row (well inside one second) until the first refusal, which must be RateLimited. */
    private static int admittedInARow(Admission admission, Provider provider, Allowance allowance) {
        int admitted = 0;
        Decision decision;
        while ((decision = admission.admit(provider, allowance, false)) instanceof Decision.Admitted) {
            admitted++;
            assertThat(admitted).isLessThan(1000);
        }
        assertThat(decision).isInstanceOf(Decision.RateLimited.class);
        return admitted;
    }

    /**
     * Limit 10 with the default shares: batch stops at 5 calls in the second, which leaves 5 for
     * critical; a capped module gets its cap and no more, while others keep the rest of their class's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aClassFillsOnlyItsShareAndACappedModuleOnlyItsCap(Admission admission) {
        ProviderConfig shared = provider(1000, 60, 1000, 20).config().toBuilder()
                .rateLimitPerSec(10)
                .priorities(
                        Map.of("payments", ProviderConfig.Priority.CRITICAL, "reports", ProviderConfig.Priority.BATCH))
                .moduleLimits(Map.of("ledger", 3))
                .build();
        Provider provider = provider(1000, 60, 1000, 20).withConfig(shared);
        assertThat(admittedInARow(admission, provider, Allowance.of(shared, 10, "reports")))
                .isEqualTo(5);
        assertThat(admittedInARow(admission, provider, Allowance.of(shared, 10, "payments")))
                .isEqualTo(5);

        Provider capped = provider(1000, 60, 1000, 20).withConfig(shared);
        assertThat(admittedInARow(admission, capped, Allowance.of(shared, 10, "ledger")))
                .isEqualTo(3);
        // The cap is the module's alone: another default-class module still has the class's 9 minus those 3.
        assertThat(admittedInARow(admission, capped, Allowance.of(shared, 10, "checkout")))
                .isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aPausedProviderAdmitsNothingUntilThePauseEnds(Admission admission) {
        Provider provider = provider(1000, 60, 1000, 20);
        admission.pause(provider, Duration.ofMillis(800));
        Decision paused = admission.admit(provider, 1000, false);
        assertThat(paused).isInstanceOf(Decision.ProviderThrottled.class);
        assertThat(((Decision.ProviderThrottled) paused).retryAfter())
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(800));
        admission.pause(provider, Duration.ofMillis(100)); // a shorter pause does not cut a longer one
        assertThat(admission.admit(provider, 1000, false)).isInstanceOf(Decision.ProviderThrottled.class);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> admission.admit(provider, 1000, false) instanceof Decision.Admitted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void retriesAddAtMostTheBudgetOnTopOfFirstAttempts(Admission admission) {
        Provider provider = provider(1000, 60, 1000, 20);
        for (int i = 0; i < 100; i++) {
            assertThat(admission.admit(provider, 100_000, false)).isInstanceOf(Decision.Admitted.class);
        }
        int retries = 0;
        while (admission.admit(provider, 100_000, true) instanceof Decision.Admitted) {
            retries++;
            assertThat(retries).isLessThan(1000);
        }
        assertThat(retries).isEqualTo(20);
        assertThat(admission.admit(provider, 100_000, true)).isInstanceOf(Decision.RetryBudgetExhausted.class);
        // With few first attempts the floor still lets some retries through.
        Provider quiet = provider(1000, 60, 1000, 20);
        admission.admit(quiet, 100_000, false);
        int quietRetries = 0;
        while (admission.admit(quiet, 100_000, true) instanceof Decision.Admitted) {
            quietRetries++;
        }
        assertThat(quietRetries).isEqualTo(Admission.RETRY_BUDGET_FLOOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aHealthyProvidersRetryBudgetKeepsAtMostOneBucketPerSecondOfTheWindow(Admission admission) {
        Provider provider = provider(1000, 60, 1000, 20);
        Set<Long> seconds = new HashSet<>();
        int[] largest = {0};
        // First attempts only, across more distinct seconds than the window holds: a budget trimmed only on
        // retries would hold one bucket per second ever seen (86,400 a day), read by the next retry at once.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(40))
                .until(() -> {
                    assertThat(admission.admit(provider, 100_000, false)).isInstanceOf(Decision.Admitted.class);
                    seconds.add(System.currentTimeMillis() / 1000);
                    largest[0] = Math.max(largest[0], budgetBuckets(admission, provider));
                    return seconds.size() > 11;
                });
        assertThat(largest[0]).isBetween(9, 10);
        assertThat(admission.admit(provider, 100_000, true)).isInstanceOf(Decision.Admitted.class);
    }

    /** The retry budget's stored buckets: the Valkey hash's fields, or the in-process map's entries. */
    private static int budgetBuckets(Admission admission, Provider provider) {
        if (admission instanceof InProcessAdmission inProcess) {
            return inProcess.retryBudgetBuckets(provider);
        }
        String key = PREFIX + "{p:" + provider.id() + "}:budget";
        if (!CLUSTERED.contains(admission)) {
            return INSPECTION.sync().hlen(key).intValue();
        }
        try {
            return Integer.parseInt(
                    cluster.cli(cluster.masterOf(key), "HLEN", key).trim());
        } catch (Exception e) {
            throw new IllegalStateException("HLEN on the cluster failed", e);
        }
    }
}
