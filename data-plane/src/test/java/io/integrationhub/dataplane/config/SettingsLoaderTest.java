package io.integrationhub.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.integrationhub.registry.crypto.MasterKeys;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {
    private static final String KEYS = MasterKeys.generateSpec("k1");

    private static Map<String, String> production() {
        Map<String, String> env = new HashMap<>();
        env.put("INTEGRATION_DB_URL", "jdbc:postgresql://127.0.0.1:5432/hub");
        env.put("INTEGRATION_MASTER_KEYS", KEYS);
        env.put("INTEGRATION_JWT_SECRET", "x".repeat(32));
        return env;
    }

    private static Settings load(Map<String, String> env) {
        return new SettingsLoader(env::get, Config.empty()).load();
    }

    @Test
    void productionDefaultsFollowTheDesign() {
        Settings settings = load(production());
        assertThat(settings.mode()).isEqualTo(Mode.PRODUCTION);
        assertThat(settings.listeners().httpPort()).isEqualTo(8080);
        assertThat(settings.providers().rateLimitPerSec()).isEqualTo(100);
        assertThat(settings.dataPath().maxBodyBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(settings.valkey().expectedReplicas()).isEqualTo(1);
        assertThat(settings.egress().allowInsecureHttp()).isFalse();
        assertThat(settings.valkey().url()).isNull();
        assertThat(settings.toString()).doesNotContain(KEYS).doesNotContain("x".repeat(32));
    }

    @Test
    void environmentVariablesOverrideTheYamlFile() {
        Config yaml = Config.just(ConfigSources.create(Map.of("hub.rate-limit-per-sec", "7", "hub.http.port", "9999")));
        Map<String, String> env = production();
        env.put("INTEGRATION_HTTP_PORT", "8181");
        Settings settings = new SettingsLoader(env::get, yaml.get("hub")).load();
        assertThat(settings.listeners().httpPort()).isEqualTo(8181);
        assertThat(settings.providers().rateLimitPerSec()).isEqualTo(7);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "INTEGRATION_HTTP_PORT           | eighty     | INTEGRATION_HTTP_PORT must be a whole number from 0 to 65535",
                "INTEGRATION_HTTP_PORT           | 70000      | INTEGRATION_HTTP_PORT must be a whole number",
                "INTEGRATION_RATE_LIMIT_PER_SEC  | 0          | INTEGRATION_RATE_LIMIT_PER_SEC must be a whole number from 1",
                "INTEGRATION_ALLOW_INSECURE_HTTP | yes        | INTEGRATION_ALLOW_INSECURE_HTTP must be true or false",
                "INTEGRATION_MODE                | laptop     | INTEGRATION_MODE must be one of production|standalone",
                "INTEGRATION_DB_URL              | mysql://x  | INTEGRATION_DB_URL must be a jdbc:postgresql:// URL",
                "INTEGRATION_VALKEY_URL          | http://x   | INTEGRATION_VALKEY_URL must be a URL with scheme",
                "INTEGRATION_VALKEY_URL          | redis-cluster:/// | INTEGRATION_VALKEY_URL must be a URL with scheme",
                "INTEGRATION_KAFKA_BOOTSTRAP     | nohost     | INTEGRATION_KAFKA_BOOTSTRAP must be host:port",
                "INTEGRATION_ALLOWED_CIDRS       | 10.0.0.0   | INTEGRATION_ALLOWED_CIDRS: '10.0.0.0' is not of the form",
                "INTEGRATION_ALLOWED_CIDRS       | 10.0.0.0/40 | INTEGRATION_ALLOWED_CIDRS: '10.0.0.0/40' has a prefix length",
                "INTEGRATION_EXPECTED_REPLICAS   | -1         | INTEGRATION_EXPECTED_REPLICAS must be a whole number",
                "INTEGRATION_MAX_BODY_BYTES      | 1e6        | INTEGRATION_MAX_BODY_BYTES must be a whole number",
                "INTEGRATION_JWT_SECRET          | short      | INTEGRATION_JWT_SECRET must be at least 32 bytes",
                "INTEGRATION_MASTER_KEYS         | k1:AAAA    | INTEGRATION_MASTER_KEYS / INTEGRATION_MASTER_KEY_ID: key 'k1' must be 32 bytes",
            })
    void aBadValueStopsWithOneLineNamingIt(String variable, String value, String message) {
        Map<String, String> env = production();
        env.put(variable, value);
        assertThatThrownBy(() -> load(env))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void productionRefusesToStartWithoutItsSecretsAndDatabase() {
        for (String missing :
                new String[] {"INTEGRATION_DB_URL", "INTEGRATION_MASTER_KEYS", "INTEGRATION_JWT_SECRET"}) {
            Map<String, String> env = production();
            env.remove(missing);
            assertThatThrownBy(() -> load(env))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining(missing);
        }
    }

    @Test
    void aValkeyClusterIsNamedByItsSeedNodes() {
        Map<String, String> env = production();
        env.put("INTEGRATION_VALKEY_URL", "redis-cluster://10.0.0.1:7001,10.0.0.2:7002?timeout=200ms");
        assertThat(load(env).valkey().url()).isEqualTo("redis-cluster://10.0.0.1:7001,10.0.0.2:7002?timeout=200ms");
        env.put("INTEGRATION_VALKEY_URL", "rediss-cluster://user:pw@valkey-0.valkey:6379,valkey-1.valkey:6379");
        assertThat(load(env).valkey().url()).startsWith("rediss-cluster://");
    }

    @Test
    void standaloneNeedsNothing() {
        Settings settings = load(Map.of("INTEGRATION_MODE", "standalone"));
        assertThat(settings.mode()).isEqualTo(Mode.STANDALONE);
        assertThat(settings.database()).isNull();
        assertThat(settings.masterKeys().keys()).isNull();
        assertThat(settings.listeners().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void cidrsMatchTheirRangesOnly() throws Exception {
        Map<String, String> env = production();
        env.put("INTEGRATION_ALLOWED_CIDRS", "10.1.0.0/16, fd00::/8");
        Settings settings = load(env);
        assertThat(settings.egress().allowedCidrs()).hasSize(2);
        Cidr ten = settings.egress().allowedCidrs().get(0);
        assertThat(ten.contains(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(ten.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(ten.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(settings.egress().allowedCidrs().get(1).contains(InetAddress.getByName("fd12::1")))
                .isTrue();
    }

    @ParameterizedTest(name = "{0} stays out of the settings' rendering")
    @CsvSource(
            delimiter = '|',
            value = {
                "INTEGRATION_DB_PASSWORD   | db-secret-value",
                "INTEGRATION_METRICS_TOKEN | metrics-secret-value",
                "INTEGRATION_VALKEY_URL    | redis://:valkey-secret-value@valkey:6379",
                "INTEGRATION_RABBITMQ_URL  | amqp://hub:rabbit-secret-value@rabbitmq:5672",
                "INTEGRATION_MASTER_KEY_ID | k1",
            })
    void noSecretIsRendered(String variable, String value) {
        Map<String, String> env = production();
        env.put(variable, value);
        String rendered = load(env).toString();
        assertThat(rendered).doesNotContain("secret-value").doesNotContain(KEYS).doesNotContain("x".repeat(32));
        assertThat(rendered)
                .contains("mode=PRODUCTION", "httpPort=8080", "valkey=", "rabbitMq=", "kafka=", "dataPath=");
    }
}
