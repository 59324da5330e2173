package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.valkey.AdmissionEvent;
import io.integrationhub.registry.valkey.BreakerField;
import io.integrationhub.registry.valkey.BreakerState;
import io.integrationhub.registry.valkey.BreakerTransition;
import io.integrationhub.registry.valkey.ScriptNames;
import io.integrationhub.registry.valkey.ValkeyKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The data plane writes its admission state under the shared contract's names, and what it writes
 * reads back through the contract the way the operator's circuit column reads it (key
 * {@link ValkeyKeys#breaker}, field {@link BreakerField#STATE}, {@link BreakerState#ofStored}); every
 * transition is announced as an {@link AdmissionEvent}. No script spells a contract name itself.
 */
class ValkeyContractTest {
    private static final List<String> SCRIPTS =
            List.of("common.lua", "admit.lua", "record.lua", "pause.lua", "view.lua", "settle.lua", "usage.lua");

    @Test
    void whatTheDataPlaneWritesReadsBackThroughTheSharedNames() throws Exception {
        ValkeyKeys keys = new ValkeyKeys("c:");
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission admission =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "c:", BreakerListener.NONE)) {
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> reader = client.connect();
                    StatefulRedisPubSubConnection<String, String> listener = client.connectPubSub()) {
                List<String> events = new CopyOnWriteArrayList<>();
                listener.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        events.add(message);
                    }
                });
                listener.sync().subscribe(keys.events());
                Provider provider = AdmissionContractTest.provider(1, 1, 5000, 20);
                assertThat(stateOf(reader, keys, provider))
                        .as("never failed: no hash, closed")
                        .isEqualTo(BreakerState.CLOSED);

                admission.admit(
                        provider, 1000, false); // its lease is settled by the next admission, counted in the budget
                admission.record(provider, (Decision.Admitted) admission.admit(provider, 1000, false), Outcome.FAILURE);
                await().atMost(Duration.ofSeconds(3)).until(() -> stateOf(reader, keys, provider) == BreakerState.OPEN);
                assertThat(reader.sync().hget(keys.breaker(provider.id()), BreakerField.GENERATION.stored()))
                        .isEqualTo("1");
                assertThat(reader.sync().hget(keys.breaker(provider.id()), BreakerField.OPEN_UNTIL.stored()))
                        .isNotNull();
                assertThat(reader.sync().exists(keys.limiter(provider.id()), keys.retryBudget(provider.id())))
                        .isEqualTo(2);

                Decision.Admitted probe = (Decision.Admitted) await().pollDelay(Duration.ofMillis(1050))
                        .atMost(Duration.ofSeconds(3))
                        .until(
                                () -> admission.admit(provider, 1000, false),
                                decision -> decision instanceof Decision.Admitted);
                assertThat(stateOf(reader, keys, provider)).isEqualTo(BreakerState.HALF_OPEN);
                admission.record(provider, probe, Outcome.SUCCESS);
                await().atMost(Duration.ofSeconds(3))
                        .until(() -> stateOf(reader, keys, provider) == BreakerState.CLOSED);

                admission.pause(provider, Duration.ofMillis(500));
                assertThat(reader.sync().get(keys.pause(provider.id()))).isNotNull();

                List<String> expected = new ArrayList<>();
                for (AdmissionEvent event : List.of(
                        AdmissionEvent.OPENED,
                        AdmissionEvent.HALF_OPENED,
                        AdmissionEvent.CLOSED,
                        AdmissionEvent.PAUSED)) {
                    expected.add(event.message(provider.id()));
                }
                await().atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> assertThat(events).containsSubsequence(expected));
                assertThat(events)
                        .allSatisfy(message ->
                                assertThat(AdmissionEvent.ofMessage(message)).isNotNull());
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void noScriptSpellsAContractNameAndAllReadThemWhereTheContractPutsThem() throws IOException {
        List<String> names = new ArrayList<>();
        for (BreakerState state : BreakerState.values()) {
            names.add(state.stored());
        }
        for (BreakerField field : BreakerField.values()) {
            names.add(field.stored());
        }
        for (BreakerTransition transition : BreakerTransition.values()) {
            names.add(transition.stored());
        }
        for (AdmissionEvent event : AdmissionEvent.values()) {
            names.add(event.stored());
        }
        for (String script : SCRIPTS) {
            String source = resource(script);
            for (String name : names) {
                assertThat(source).as(script).doesNotContain("'" + name + "'").doesNotContain("\"" + name + "\"");
            }
        }
        assertThat(ScriptNames.of(new ValkeyKeys("x:"))).hasSize(ScriptNames.COUNT);
        assertThat(resource("common.lua")).contains("ARGV[" + ScriptNames.COUNT + " + i]");
    }

    private static BreakerState stateOf(
            StatefulRedisConnection<String, String> reader, ValkeyKeys keys, Provider provider) {
        return BreakerState.ofStored(reader.sync().hget(keys.breaker(provider.id()), BreakerField.STATE.stored()))
                .orElseThrow();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ValkeyContractTest.class.getResourceAsStream("/admission/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
