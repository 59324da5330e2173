package io.integrationhub.controlplane.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.registry.valkey.BreakerField;
import io.integrationhub.registry.valkey.BreakerState;
import io.integrationhub.registry.valkey.ValkeyKeys;
import io.integrationhub.testkit.PrivateValkeyCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lettuce adapter against the real local redis-server (127.0.0.1:6379, started by
 * scripts/services.sh; {@code HUB_TEST_REDIS_URL} overrides), under a random key prefix and provider
 * id whose key is deleted afterwards.
 */
class ValkeyCircuitStateSourceTest {
    private static final String URL = System.getenv().getOrDefault("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final String providerId =
            "01j9" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    private RedisClient writer;
    private StatefulRedisConnection<String, String> connection;
    private ValkeyCircuitStateSource source;

    @BeforeEach
    void connect() {
        writer = RedisClient.create(URL);
        connection = writer.connect();
        source = ValkeyCircuitStateSource.create(URL, prefix, Duration.ofSeconds(1));
    }

    @AfterEach
    void cleanUp() {
        connection.sync().del(new ValkeyKeys(prefix).breaker(providerId));
        connection.close();
        writer.shutdown();
        source.close();
    }

    @Test
    void readsTheDataPlanesBreakerHash() {
        assertThat(source.stateOf(providerId)).as("no hash yet: never failed").isEqualTo(CircuitState.Closed);
        setState(BreakerState.OPEN.stored());
        assertThat(source.stateOf(providerId)).isEqualTo(CircuitState.Open);
        setState(BreakerState.HALF_OPEN.stored());
        assertThat(source.stateOf(providerId)).isEqualTo(CircuitState.HalfOpen);
        setState(BreakerState.CLOSED.stored());
        assertThat(source.stateOf(providerId)).isEqualTo(CircuitState.Closed);
        setState("melted");
        assertThat(source.stateOf(providerId)).isEqualTo(CircuitState.Unknown);
    }

    @Test
    void usesTheDataPlanesHashTaggedKeyLayout() {
        assertThat(new ValkeyKeys("").breaker("01j9abc")).isEqualTo("{p:01j9abc}:cb");
        assertThat(new ValkeyKeys("staging:").breaker("01j9abc")).isEqualTo("staging:{p:01j9abc}:cb");
    }

    @Test
    void everyBreakerStateOfTheContractHasAColumnValue() {
        for (BreakerState state : BreakerState.values()) {
            assertThat(ValkeyCircuitStateSource.parse(state.stored()))
                    .as(state.name())
                    .isNotEqualTo(CircuitState.Unknown);
        }
    }

    @Test
    void readsOnlyUnderItsOwnPrefix() {
        setState(BreakerState.OPEN.stored());
        try (ValkeyCircuitStateSource unprefixed = ValkeyCircuitStateSource.create(URL, "", Duration.ofSeconds(1))) {
            assertThat(unprefixed.stateOf(providerId)).isEqualTo(CircuitState.Closed);
        }
        assertThat(source.stateOf(providerId)).isEqualTo(CircuitState.Open);
    }

    @Test
    void anUnreachableValkeyReadsAsUnknownWithinTheTimeout() {
        try (ValkeyCircuitStateSource down =
                ValkeyCircuitStateSource.create("redis://127.0.0.1:1", "", Duration.ofMillis(500))) {
            long start = System.nanoTime();
            assertThat(down.stateOf(providerId)).isEqualTo(CircuitState.Unknown);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void readsTheBreakerHashFromAValkeyClusterAcrossAFailoverOfItsSlot() throws Exception {
        try (PrivateValkeyCluster cluster = PrivateValkeyCluster.start();
                ValkeyCircuitStateSource clustered =
                        ValkeyCircuitStateSource.create(cluster.url(), prefix, Duration.ofSeconds(1))) {
            String key = new ValkeyKeys(prefix).breaker(providerId);
            int master = cluster.masterOf(key);
            assertThat(clustered.stateOf(providerId)).isEqualTo(CircuitState.Closed);
            cluster.cli(master, "HSET", key, BreakerField.STATE.stored(), BreakerState.OPEN.stored());
            assertThat(clustered.stateOf(providerId)).isEqualTo(CircuitState.Open);

            cluster.awaitReplicaCaughtUp(master);
            cluster.failover(cluster.replicaOf(master));
            assertThat(cluster.masterOf(key)).isNotEqualTo(master);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(clustered.stateOf(providerId)).isEqualTo(CircuitState.Open));
            cluster.cli(
                    cluster.masterOf(key), "HSET", key, BreakerField.STATE.stored(), BreakerState.HALF_OPEN.stored());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(clustered.stateOf(providerId)).isEqualTo(CircuitState.HalfOpen));
        }
    }

    @Test
    void aMalformedUrlIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> ValkeyCircuitStateSource.create("redis://:secret-pw@[bad", "", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret-pw");
    }

    private void setState(String state) {
        connection.sync().hset(new ValkeyKeys(prefix).breaker(providerId), BreakerField.STATE.stored(), state);
    }
}
