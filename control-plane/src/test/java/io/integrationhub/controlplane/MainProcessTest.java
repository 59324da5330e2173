package io.integrationhub.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The operator process itself: a missing or bad setting ends it at once with exit 2 and one line naming the variable. */
@Tag("slow")
class MainProcessTest {

    @Test
    void aMissingSettingStopsStartUpWithOneLineNamingIt() throws Exception {
        Result result = run(Map.of());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("integration-hub operator: INTEGRATION_DB_URL: is required\n");
    }

    @Test
    void aBadSecretSettingIsNamedButNotEchoed() throws Exception {
        Result result = run(Map.of(
                "INTEGRATION_DB_URL",
                "jdbc:postgresql://db:5432/hub",
                "INTEGRATION_MASTER_KEYS",
                "k1:c2VjcmV0LWtleS1tYXRlcmlhbA=="));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr())
                .isEqualTo(
                        "integration-hub operator: INTEGRATION_MASTER_KEYS: key 'k1' must be 32 bytes (AES-256), but was 19\n");
    }

    private record Result(int exitCode, String stderr) {}

    private static Result run(Map<String, String> env) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder =
                new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), stderr);
    }
}
