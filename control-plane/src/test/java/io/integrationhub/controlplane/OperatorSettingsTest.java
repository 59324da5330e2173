package io.integrationhub.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.registry.crypto.MasterKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Start-up settings: defaults, and one clear line naming the variable for every bad or missing value. */
class OperatorSettingsTest {
    private static final String KEY = MasterKeys.generateSpec("k1");

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("INTEGRATION_DB_URL", "jdbc:postgresql://db:5432/hub");
        env.put("INTEGRATION_DB_USER", "hub");
        env.put("INTEGRATION_DB_PASSWORD", "db-password-do-not-print");
        env.put("INTEGRATION_MASTER_KEYS", KEY);
        env.put("HOSTNAME", "operator-7d9f");
        return env;
    }

    @Test
    void theMinimalEnvironmentTakesTheDefaults() {
        OperatorSettings settings = OperatorSettings.fromEnvironment(minimal());
        assertThat(settings.database().url()).isEqualTo("jdbc:postgresql://db:5432/hub");
        assertThat(settings.valkeyUrl()).isEmpty();
        assertThat(settings.valkeyPrefix()).isEmpty();
        assertThat(settings.allowInsecureHttp()).isFalse();
        assertThat(settings.httpPort()).isEqualTo(8081);
        assertThat(settings.namespaces()).isEmpty();
        assertThat(settings.circuitRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.leaderElection()).hasValueSatisfying(le -> {
            assertThat(le.leaseName()).isEqualTo("integration-hub-operator");
            assertThat(le.leaseNamespace()).isNull();
            assertThat(le.identity()).isEqualTo("operator-7d9f");
            assertThat(le.exitOnLoss()).isTrue();
        });
    }

    @Test
    void everySettingCanBeGiven() {
        Map<String, String> env = minimal();
        env.put("INTEGRATION_VALKEY_URL", "redis://:pw@valkey:6379");
        env.put("INTEGRATION_VALKEY_PREFIX", "staging:");
        env.put("INTEGRATION_ALLOW_INSECURE_HTTP", "TRUE");
        env.put("INTEGRATION_OPERATOR_HTTP_PORT", "9000");
        env.put("INTEGRATION_WATCH_NAMESPACES", "payments, marketing");
        env.put("INTEGRATION_LEADER_ELECTION_LEASE", "hub-lease");
        env.put("INTEGRATION_LEADER_ELECTION_NAMESPACE", "hub-system");
        env.put("POD_NAME", "operator-0");
        env.put("INTEGRATION_CIRCUIT_REFRESH_SEC", "5");
        OperatorSettings settings = OperatorSettings.fromEnvironment(env);
        assertThat(settings.valkeyUrl()).hasValue("redis://:pw@valkey:6379");
        assertThat(settings.valkeyPrefix()).isEqualTo("staging:");
        assertThat(settings.allowInsecureHttp()).isTrue();
        assertThat(settings.httpPort()).isEqualTo(9000);
        assertThat(settings.namespaces()).containsExactlyInAnyOrder("payments", "marketing");
        assertThat(settings.circuitRefresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.leaderElection())
                .hasValue(new ProviderOperator.LeaderElection("hub-lease", "hub-system", "operator-0", true));

        env.put("INTEGRATION_LEADER_ELECTION", "false");
        assertThat(OperatorSettings.fromEnvironment(env).leaderElection()).isEmpty();
        env.put("INTEGRATION_VALKEY_URL", "redis-cluster://valkey-0:6379,valkey-1:6379");
        assertThat(OperatorSettings.fromEnvironment(env).valkeyUrl())
                .hasValue("redis-cluster://valkey-0:6379,valkey-1:6379");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            nullValues = "<unset>",
            value = {
                "INTEGRATION_DB_URL, <unset>, INTEGRATION_DB_URL: is required",
                "INTEGRATION_DB_URL, mysql://db/hub, INTEGRATION_DB_URL: must be a jdbc:postgresql:// URL",
                "INTEGRATION_MASTER_KEYS, <unset>, INTEGRATION_MASTER_KEYS: is required",
                "INTEGRATION_MASTER_KEYS, k1:c2hvcnQ=, INTEGRATION_MASTER_KEYS: key 'k1' must be 32 bytes (AES-256)",
                "INTEGRATION_MASTER_KEYS, k1-without-colon, INTEGRATION_MASTER_KEYS: entry 1 is not of the form kid:base64key",
                "INTEGRATION_MASTER_KEY_ID, k9, INTEGRATION_MASTER_KEY_ID: sealing key id 'k9' is not among the master keys",
                "INTEGRATION_VALKEY_URL, http://valkey:6379, INTEGRATION_VALKEY_URL: must be a redis[s]:// or redis[s]-cluster:// URL",
                "INTEGRATION_ALLOW_INSECURE_HTTP, yes, INTEGRATION_ALLOW_INSECURE_HTTP: must be true or false",
                "INTEGRATION_OPERATOR_HTTP_PORT, eighty, INTEGRATION_OPERATOR_HTTP_PORT: must be an integer from 1 to 65535",
                "INTEGRATION_OPERATOR_HTTP_PORT, 70000, INTEGRATION_OPERATOR_HTTP_PORT: must be from 1 to 65535, but was 70000",
                "INTEGRATION_WATCH_NAMESPACES, Payments, INTEGRATION_WATCH_NAMESPACES: 'Payments' is not a namespace name",
                "INTEGRATION_LEADER_ELECTION, on, INTEGRATION_LEADER_ELECTION: must be true or false",
                "INTEGRATION_LEADER_ELECTION_LEASE, Hub_Lease, INTEGRATION_LEADER_ELECTION_LEASE: must be a Kubernetes object name",
                "INTEGRATION_LEADER_ELECTION_NAMESPACE, hub.system, INTEGRATION_LEADER_ELECTION_NAMESPACE: must be a namespace name",
                "INTEGRATION_CIRCUIT_REFRESH_SEC, 0, INTEGRATION_CIRCUIT_REFRESH_SEC: must be from 1 to 3600, but was 0",
            })
    void aBadOrMissingValueStopsStartUpWithOneLineNamingIt(String variable, String value, String expected) {
        Map<String, String> env = minimal();
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(expected)
                .hasMessageNotContaining("\n");
    }

    @Test
    void neitherErrorsNorToStringEchoSecrets() {
        Map<String, String> env = minimal();
        env.put("INTEGRATION_MASTER_KEYS", "k1:" + "A".repeat(40) + "!");
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env)).hasMessageNotContaining("AAAA");

        Map<String, String> good = minimal();
        good.put("INTEGRATION_VALKEY_URL", "redis://:valkey-password-do-not-print@valkey:6379");
        String text = OperatorSettings.fromEnvironment(good).toString();
        assertThat(text).doesNotContain("db-password-do-not-print", "valkey-password-do-not-print", KEY.substring(3));
    }
}
