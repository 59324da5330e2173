package io.integrationhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: {@code scripts/hubctl} as a subprocess (after {@code package},
 * hence an IT), against a real data plane started here, with the environment as its only input.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
    private static final Path LAUNCHER =
            Path.of("../scripts/hubctl").toAbsolutePath().normalize();
    private static final List<String> OUTPUTS = new ArrayList<>();

    private static CliHub hub;

    @TempDir
    static Path home;

    @BeforeAll
    static void startHub() {
        hub = CliHub.start();
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run hubctl(String stdin, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("HUBCTL_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HUBCTL_CONFIG", home.resolve("config.yaml").toString());
        env.put("HUBCTL_ENDPOINT", hub.endpoint());
        env.put("HUBCTL_TOKEN", hub.adminToken("launcher"));
        env.putAll(extraEnv);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("hubctl " + String.join(" ", args) + " finished")
                .isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        OUTPUTS.add(run.out() + run.err());
        return run;
    }

    private static Run hubctl(String... args) throws IOException, InterruptedException {
        return hubctl("", Map.of(), args);
    }

    @Test
    @Order(1)
    void versionPrintsTheBuildAndTheJvm() throws Exception {
        Run run = hubctl("--version");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).matches("hubctl 0\\.1\\.0-SNAPSHOT \\(java [0-9][^)]*\\)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    @Order(2)
    void providersAreAppliedFromStandardInputAndListedAsJson() throws Exception {
        String manifest = """
                apiVersion: v1
                kind: Secret
                metadata: {name: launched-creds}
                stringData: {token: %s}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: launched}
                spec:
                  type: sms
                  baseUrl: https://sms.example.com
                  auth: {type: bearer, secretRef: {name: launched-creds}}
                """.formatted(Canary.SECRET);

        Run applied = hubctl(manifest, Map.of(), "providers", "apply", "-f", "-");
        Run again = hubctl(manifest, Map.of(), "providers", "apply", "-f", "-");
        Run list = hubctl("providers", "list", "-o", "json");

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).isEqualTo("provider/launched created\n");
        assertThat(again.out()).isEqualTo("provider/launched unchanged\n");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.err()).isEmpty();
        JsonNode items = Json.mapper().readTree(list.out()).get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("name").asText()).isEqualTo("launched");
        assertThat(items.get(0).get("tenantId").asText()).isEqualTo("launcher");
        assertThat(items.get(0).at("/auth/credentials/token").asText()).isEqualTo("***");
    }

    @Test
    @Order(3)
    void failingCommandsExitWithTheirCodeAndOneLine() throws Exception {
        Run notFound = hubctl("providers", "get", "nope");
        Run usage = hubctl("providers", "frobnicate");
        Run unreachable = hubctl("", Map.of("HUBCTL_ENDPOINT", "http://127.0.0.1:1"), "providers", "list");
        Run badToken = hubctl("", Map.of("HUBCTL_TOKEN", "expired"), "providers", "list");

        assertThat(notFound.exitCode()).isEqualTo(2);
        assertThat(notFound.out()).isEmpty();
        assertThat(notFound.err()).startsWith("error: ").contains("provider-not-found");
        assertThat(usage.exitCode()).isEqualTo(1);
        assertThat(usage.err()).startsWith("error: Unmatched argument at index 1: 'frobnicate'");
        assertThat(unreachable.exitCode()).isEqualTo(5);
        assertThat(unreachable.err())
                .isEqualTo("error: cannot reach the hub at http://127.0.0.1:1: connection refused"
                        + " (check $HUBCTL_ENDPOINT)\n");
        assertThat(badToken.exitCode()).isEqualTo(4);
        for (Run run : List.of(notFound, usage, unreachable, badToken)) {
            assertThat(run.err()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    @Order(4)
    void completionComesFromTheLauncherToo() throws Exception {
        Run run = hubctl("completion", "bash");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F _complete_hubctl");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theCanaryCredentialAppearsInNoOutput() {
        assertThat(OUTPUTS).hasSizeGreaterThanOrEqualTo(8);
        assertThat(OUTPUTS).noneMatch(output -> output.contains(Canary.SECRET));
    }
}
