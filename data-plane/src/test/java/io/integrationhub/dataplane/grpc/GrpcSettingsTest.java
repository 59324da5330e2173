package io.integrationhub.dataplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.integrationhub.dataplane.config.Settings;
import io.integrationhub.dataplane.config.SettingsException;
import io.integrationhub.dataplane.config.SettingsLoader;
import io.integrationhub.registry.crypto.MasterKeys;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INTEGRATION_GRPC_PORT and INTEGRATION_OTLP_ENDPOINT, read like every other setting. */
class GrpcSettingsTest {
    private static Settings load(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "INTEGRATION_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/hub",
                "INTEGRATION_MASTER_KEYS",
                MasterKeys.generateSpec("k1"),
                "INTEGRATION_JWT_SECRET",
                "x".repeat(32)));
        env.putAll(overrides);
        return new SettingsLoader(env::get, Config.empty()).load();
    }

    @Test
    void theGrpcPortIs9090UnlessSetAndFreeWhenTheHttpPortIsFree() {
        assertThat(load(Map.of()).listeners().grpcPort()).isEqualTo(9090);
        assertThat(load(Map.of("INTEGRATION_GRPC_PORT", "7070")).listeners().grpcPort())
                .isEqualTo(7070);
        assertThat(load(Map.of("INTEGRATION_HTTP_PORT", "0")).listeners().grpcPort())
                .isZero();
        assertThat(load(Map.of("INTEGRATION_HTTP_PORT", "0", "INTEGRATION_GRPC_PORT", "7071"))
                        .listeners()
                        .grpcPort())
                .isEqualTo(7071);
    }

    @Test
    void tracingIsOffUnlessAnOtlpEndpointIsSet() {
        assertThat(load(Map.of()).observability().otlpEndpoint()).isNull();
        assertThat(load(Map.of("INTEGRATION_OTLP_ENDPOINT", "http://otel-collector:4318"))
                        .observability()
                        .otlpEndpoint())
                .isEqualTo("http://otel-collector:4318");
    }

    @Test
    void badValuesStopWithOneLineNamingTheVariable() {
        assertThatThrownBy(() -> load(Map.of("INTEGRATION_GRPC_PORT", "grpc")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("INTEGRATION_GRPC_PORT must be a whole number from 0 to 65535");
        assertThatThrownBy(() -> load(Map.of("INTEGRATION_OTLP_ENDPOINT", "collector:4318")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("INTEGRATION_OTLP_ENDPOINT must be a URL with scheme http|https");
    }
}
