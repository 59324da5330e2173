package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.testkit.PrivateValkeyCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shared admission on a real Valkey Cluster (three masters with a replica each, private redis-server
 * processes on loopback): two instances, each with its own cluster client, keep one provider's limit
 * and breaker while the master of its slot fails over, is killed, or hands the slot to another master
 * with calls running. A call that meets the cluster mid-change fails (the caller then decides alone,
 * FailoverAdmission); every call that Valkey admitted counts toward the one limit.
 */
@Tag("slow")
class ValkeyClusterAdmissionTest {
    private static final int LIMIT = 20;
    private static PrivateValkeyCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PrivateValkeyCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static ValkeyAdmission instance() {
        return new ValkeyAdmission(cluster.url() + "?timeout=2s", "t:", BreakerListener.NONE);
    }

    private static String key(Provider provider, String suffix) {
        return "t:{p:" + provider.id() + "}:" + suffix;
    }

    @Test
    void oneProvidersKeysLiveInOneSlot() throws Exception {
        try (ValkeyAdmission admission = instance()) {
            Provider provider = AdmissionContractTest.provider(1, 60, 1000, 20);
            admission.pause(provider, Duration.ofMillis(1));
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> admission.admit(provider, LIMIT, false) instanceof Decision.Admitted);
            admission.record(provider, (Decision.Admitted) admission.admit(provider, LIMIT, false), Outcome.FAILURE);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> admission.breaker(provider).state().equals("open"));
            int slot = cluster.slotOf(key(provider, "cb"));
            int master = cluster.masterOf(key(provider, "cb"));
            for (String suffix : List.of("rl", "cb", "budget")) {
                assertThat(cluster.slotOf(key(provider, suffix))).isEqualTo(slot);
                assertThat(cluster.cli(master, "EXISTS", key(provider, suffix)).trim())
                        .as(suffix)
                        .isEqualTo("1");
            }
        }
    }

    @Test
    void aBreakerOpenedThroughOneInstanceDropsAnotherInstancesLeaseAtOnce() {
        // The holder's clock stands still, so only the event (published on the slot's master, subscribed
        // to on whichever node the holder's pub/sub connection went to) can end its lease.
        java.util.concurrent.atomic.AtomicLong frozen = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        try (ValkeyAdmission holder =
                        new ValkeyAdmission(cluster.url() + "?timeout=2s", "t:", BreakerListener.NONE, frozen::get);
                ValkeyAdmission other = instance()) {
            Provider provider = AdmissionContractTest.provider(1, 60, 1000, 20);
            LeaseAdmissionTest.subscribed(holder, provider);
            for (int i = 0; i < 8; i++) {
                assertThat(holder.admit(provider, 1000, false))
                        .isInstanceOf(Decision.Admitted.class); // leases of 2, 4, 8
            }
            other.record(provider, (Decision.Admitted) other.admit(provider, 1000, false), Outcome.FAILURE);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> holder.admit(provider, 1000, false) instanceof Decision.CircuitOpen);
        }
    }

    @Test
    void theLimitAndAnOpenBreakerHoldWhileTheSlotsMasterFailsOver() throws Exception {
        holdAcross((master, key) -> {
            cluster.failover(cluster.replicaOf(master));
            assertThat(cluster.masterOf(key)).isNotEqualTo(master);
        });
    }

    @Test
    void theLimitAndAnOpenBreakerHoldWhenTheSlotsMasterIsKilledAndCallsResumeOnItsReplica() throws Exception {
        holdAcross((master, key) -> {
            cluster.kill(master);
            try {
                // The replica is promoted once the cluster has judged the master failed (node timeout): on a
                // loaded machine that takes a while, so wait for it rather than assert it at once.
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> cluster.masterOf(key) != master);
                cluster.awaitHealthy();
            } finally {
                cluster.restart(master); // back as the new master's replica: the next test's shard has two copies again
            }
        });
    }

    @Test
    void theLimitAndAnOpenBreakerHoldWhileTheSlotMigratesToAnotherMaster() throws Exception {
        holdAcross((master, key) -> {
            int target = cluster.ports().stream()
                    .filter(port -> port != master)
                    .filter(port -> isMaster(port))
                    .findFirst()
                    .orElseThrow();
            cluster.migrateSlot(key, target);
            assertThat(cluster.masterOf(key)).isEqualTo(target);
        });
    }

    /** What happens to the cluster under load: given the master of the provider's slot and one of its keys. */
    private interface ClusterChange {
        void apply(int master, String key) throws Exception;
    }

    /**
     * Opens one provider's breaker, runs two instances' calls against a second provider on the same slot
     * (limit {@link #LIMIT}/s), changes the cluster mid-load, waits until both instances are admitted
     * again (after a kill: once they found the promoted replica), then checks the limit over the whole
     * run and that the breaker is still open.
     */
    private static void holdAcross(ClusterChange change) throws Exception {
        Provider limited = AdmissionContractTest.provider(1000, 60, 1000, 20);
        Provider broken = sameSlotOwner(limited);
        try (ValkeyAdmission one = instance();
                ValkeyAdmission two = instance()) {
            open(one, broken);
            int master = cluster.masterOf(key(limited, "rl"));
            // A master's writes reach its replica asynchronously: a kill may only lose what came after this.
            cluster.awaitReplicaCaughtUp(master);
            Load load = Load.start(limited, one, two);
            await().atMost(Duration.ofSeconds(5)).until(() -> load.admitted.size() >= LIMIT);
            change.apply(master, key(limited, "rl"));
            int beforeOne = load.admittedBy(one);
            int beforeTwo = load.admittedBy(two);
            await().atMost(ValkeyClient.TOPOLOGY_REFRESH.plusSeconds(5))
                    .until(() -> load.admittedBy(one) > beforeOne && load.admittedBy(two) > beforeTwo);
            load.runFor(Duration.ofSeconds(1));
            load.assertNeverOverTheLimit(2 * LIMIT);
            assertOpen(broken);
        }
    }

    /** A second provider whose keys share the first one's slot: the breaker rides along with the limiter. */
    private static Provider sameSlotOwner(Provider limited) throws Exception {
        int slot = cluster.slotOf(key(limited, "rl"));
        for (int i = 0; i < 200_000; i++) {
            Provider candidate = AdmissionContractTest.provider(1, 60, 1000, 20);
            if (io.lettuce.core.cluster.SlotHash.getSlot(key(candidate, "cb")) == slot) {
                return candidate;
            }
        }
        throw new IllegalStateException("no provider id hashed to slot " + slot);
    }

    private static void open(ValkeyAdmission admission, Provider provider) {
        admission.record(provider, (Decision.Admitted) admission.admit(provider, LIMIT, false), Outcome.FAILURE);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> admission.breaker(provider).state().equals("open"));
    }

    /** Asked by an instance that never saw it before, so its answer comes from the cluster, not a local memory. */
    private static void assertOpen(Provider provider) {
        try (ValkeyAdmission fresh = instance()) {
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                Decision decision = fresh.admit(provider, LIMIT, false);
                assertThat(decision).isInstanceOf(Decision.CircuitOpen.class);
                assertThat(((Decision.CircuitOpen) decision).retryAfter()).isGreaterThan(Duration.ofSeconds(30));
            });
        }
    }

    private static boolean isMaster(int port) {
        try {
            return cluster.cli(port, "ROLE").startsWith("master");
        } catch (Exception e) {
            return false;
        }
    }

    /** Two threads per instance calling admit in a loop; each admission's [start, end] span is kept. */
    private static final class Load {
        final List<long[]> admitted = new CopyOnWriteArrayList<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final java.util.Map<ValkeyAdmission, AtomicInteger> byInstance = new java.util.concurrent.ConcurrentHashMap<>();

        static Load start(Provider provider, ValkeyAdmission... instances) {
            Load load = new Load();
            for (ValkeyAdmission instance : instances) {
                AtomicInteger count = load.byInstance.computeIfAbsent(instance, i -> new AtomicInteger());
                for (int t = 0; t < 2; t++) {
                    load.pool.execute(() -> {
                        while (!load.stop.get()) {
                            long started = System.currentTimeMillis();
                            try {
                                if (instance.admit(provider, LIMIT, false) instanceof Decision.Admitted) {
                                    load.admitted.add(new long[] {started, System.currentTimeMillis()});
                                    count.incrementAndGet();
                                }
                            } catch (ValkeyUnavailableException e) {
                                load.failed.incrementAndGet(); // mid-change: the caller would decide alone
                            }
                        }
                    });
                }
            }
            return load;
        }

        int admittedBy(ValkeyAdmission instance) {
            return byInstance.get(instance).get();
        }

        void runFor(Duration duration) throws InterruptedException {
            long until = System.currentTimeMillis() + duration.toMillis();
            await().atMost(duration.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> System.currentTimeMillis() >= until);
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        /** No second starting at an admission's start holds more than LIMIT admissions that surely fell inside it. */
        void assertNeverOverTheLimit(int atLeast) {
            assertThat(admitted.size()).isGreaterThanOrEqualTo(atLeast);
            for (long[] first : admitted) {
                long from = first[0];
                long certainlyInside = admitted.stream()
                        .filter(span -> span[0] >= from && span[1] < from + 1000)
                        .count();
                assertThat(certainlyInside)
                        .as("admissions within the second from %d", from)
                        .isLessThanOrEqualTo(LIMIT);
            }
        }
    }
}
