package io.integrationhub.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.cli.Session;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hubctl config set-context|use-context|view|current-context|delete-context, and how the target is resolved. */
class ConfigCommandsTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.stored-token-value.sig";

    @TempDir
    Path home;

    private CliRunner hubctl() {
        return new CliRunner(home.resolve("hubctl"));
    }

    @Test
    void setContextWritesAPrivateFileAndTheFirstContextBecomesCurrent() throws IOException {
        CliRun first = hubctl().run(
                        "config",
                        "set-context",
                        "dev",
                        "--endpoint",
                        "http://127.0.0.1:8080/",
                        "--tenant",
                        "acme",
                        "--token-env",
                        "HUB_TOKEN");
        CliRun second = hubctl().run(
                        "config",
                        "set-context",
                        "prod",
                        "--endpoint",
                        "https://hub.example.com",
                        "--token-file",
                        "token.txt");
        CliRun modified = hubctl().run("config", "set-context", "dev", "--tenant", "acme2");

        assertThat(first.out()).isEqualTo("Context \"dev\" created (current).\n");
        assertThat(second.out()).isEqualTo("Context \"prod\" created.\n");
        assertThat(modified.out()).isEqualTo("Context \"dev\" modified.\n");
        Path file = home.resolve("hubctl/config.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(file))
                .isEqualTo("""
                currentContext: dev
                contexts:
                  dev:
                    endpoint: http://127.0.0.1:8080
                    tenant: acme2
                    tokenEnv: HUB_TOKEN
                  prod:
                    endpoint: https://hub.example.com
                    tokenFile: %s
                """.formatted(Path.of("token.txt").toAbsolutePath()));
    }

    @Test
    void viewNeverShowsAStoredTokenInAnyFormat() {
        CliRunner hubctl = hubctl();
        assertThat(hubctl.runWithStdin(
                                TOKEN + "\n",
                                "config",
                                "set-context",
                                "ci",
                                "--endpoint",
                                "http://hub:8080",
                                "--token-stdin")
                        .exitCode())
                .isZero();
        hubctl.run(
                "config",
                "set-context",
                "dev",
                "--endpoint",
                "http://127.0.0.1:8080",
                "--token-env",
                "HUB_TOKEN",
                "--tenant",
                "t1");

        CliRun table = hubctl.run("config", "view");
        CliRun json = hubctl.run("config", "view", "-o", "json");
        CliRun yaml = hubctl.run("config", "view", "-o", "yaml");

        assertThat(table.out()).isEqualTo("""
                CURRENT   NAME   ENDPOINT                TENANT   TOKEN
                *         ci     http://hub:8080         <none>   ***
                          dev    http://127.0.0.1:8080   t1       env:HUB_TOKEN
                """);
        assertThat(json.json().at("/contexts/ci/token").asText()).isEqualTo("***");
        assertThat(json.json().get("currentContext").asText()).isEqualTo("ci");
        assertThat(yaml.out()).contains("    token: '***'\n");
        for (CliRun run : new CliRun[] {table, json, yaml}) {
            assertThat(run.out() + run.err()).doesNotContain("stored-token-value");
        }
        assertThat(hubctl.run("config", "view", "--no-headers").outLines()).hasSize(2);
    }

    @Test
    void useContextSwitchesAndRefusesAnUnknownName() {
        CliRunner hubctl = hubctl();
        hubctl.run("config", "set-context", "a", "--endpoint", "http://a:1");
        hubctl.run("config", "set-context", "b", "--endpoint", "http://b:1");

        CliRun use = hubctl.run("config", "use-context", "b");
        CliRun unknown = hubctl.run("config", "use-context", "c");

        assertThat(use.out()).isEqualTo("Switched to context \"b\".\n");
        assertThat(hubctl.run("config", "current-context").out()).isEqualTo("b\n");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err())
                .startsWith("error: no context \"c\" in ")
                .endsWith("'hubctl config view' lists them,"
                        + " 'hubctl config set-context c --endpoint URL' creates it\n");
        assertThat(hubctl.env("HUBCTL_CONTEXT", "a")
                        .run("config", "current-context")
                        .out())
                .isEqualTo("a\n");
    }

    @Test
    void currentContextWithoutAnyIsAUsageError() {
        CliRun run = hubctl().run("config", "current-context");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("error: no current context: run 'hubctl config use-context NAME' ('hubctl config view'"
                        + " lists the contexts)\n");
    }

    @Test
    void deleteContextRemovesItAndTheCurrentPointer() {
        CliRunner hubctl = hubctl();
        hubctl.run("config", "set-context", "gone", "--endpoint", "http://a:1");

        assertThat(hubctl.run("config", "delete-context", "gone").out()).isEqualTo("Context \"gone\" deleted.\n");
        assertThat(hubctl.run("config", "current-context").exitCode()).isEqualTo(1);
        assertThat(hubctl.run("config", "delete-context", "gone").exitCode()).isEqualTo(2);
    }

    @Test
    void theTokenIsNeverAFlagValue() {
        CliRun run = hubctl().run("config", "set-context", "x", "--token", "abc");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("error: Unknown option: '--token' (and 1 more argument, not shown)\n")
                .doesNotContain("abc");
        assertThat(hubctl().run("config", "set-context", "x", "--token=abc").err())
                .startsWith("error: Unknown option: '--token'\n")
                .doesNotContain("abc");
    }

    @Test
    void theConfigFileIsFoundThroughHubctlConfigThenXdgThenHome() {
        Path home = Path.of("/home/u");
        assertThat(ConfigStore.locate(Map.of("HUBCTL_CONFIG", "/etc/hubctl/ops.yaml", "XDG_CONFIG_HOME", "/x"), home)
                        .file())
                .isEqualTo(Path.of("/etc/hubctl/ops.yaml"));
        assertThat(ConfigStore.locate(Map.of("XDG_CONFIG_HOME", "/x"), home).file())
                .isEqualTo(Path.of("/x/hubctl/config.yaml"));
        assertThat(ConfigStore.locate(Map.of(), home).file()).isEqualTo(Path.of("/home/u/.config/hubctl/config.yaml"));
        assertThat(ConfigStore.locate(Map.of(), home).directory()).isEqualTo(Path.of("/home/u/.config/hubctl"));
    }

    private Target resolve(Map<String, String> env, String contextFlag) {
        Session session =
                new Session(env, new ConfigStore(home.resolve("hubctl")), new ByteArrayInputStream(new byte[0]));
        return new TargetResolver(session).resolve(contextFlag);
    }

    @Test
    void environmentOverridesBeatTheContextAndTheContextFlagBeatsHubctlContext() throws IOException {
        Path tokenFile = home.resolve("dev-token");
        Files.writeString(tokenFile, "dev-token\n");
        hubctl().run(
                        "config",
                        "set-context",
                        "dev",
                        "--endpoint",
                        "http://dev:8080",
                        "--tenant",
                        "t-dev",
                        "--token-file",
                        tokenFile.toString());
        hubctl().run("config", "set-context", "prod", "--endpoint", "https://prod", "--token-env", "PROD_TOKEN");

        Map<String, String> env = new HashMap<>(Map.of("PROD_TOKEN", "prod-token"));
        assertThat(resolve(env, null))
                .isEqualTo(new Target("dev", URI.create("http://dev:8080"), "t-dev", "dev-token"));
        assertThat(resolve(env, "prod")).isEqualTo(new Target("prod", URI.create("https://prod"), null, "prod-token"));
        env.put("HUBCTL_CONTEXT", "prod");
        assertThat(resolve(env, null).context()).isEqualTo("prod");
        assertThat(resolve(env, "dev").context())
                .as("--context beats $HUBCTL_CONTEXT")
                .isEqualTo("dev");
        env.putAll(Map.of("HUBCTL_ENDPOINT", "http://other:1", "HUBCTL_TENANT", "t-env", "HUBCTL_TOKEN", "env-token"));
        assertThat(resolve(env, "dev"))
                .isEqualTo(new Target("dev", URI.create("http://other:1"), "t-env", "env-token"));
        assertThat(resolve(env, "dev").toString()).doesNotContain("env-token");
    }

    @Test
    void theEnvironmentAloneIsEnoughWithoutAnyConfigFile() {
        Target target = resolve(Map.of("HUBCTL_ENDPOINT", "http://h:9", "HUBCTL_TOKEN", "tok"), null);

        assertThat(target).isEqualTo(new Target(null, URI.create("http://h:9"), null, "tok"));
    }

    @Test
    void aMissingEndpointOrTokenSaysWhichCommandFixesIt() throws IOException {
        CliRun noEndpoint = hubctl().run("providers", "list");
        assertThat(noEndpoint.exitCode()).isEqualTo(1);
        assertThat(noEndpoint.err())
                .isEqualTo("error: no hub endpoint: run 'hubctl config set-context NAME --endpoint URL"
                        + " --token-file FILE' (then 'hubctl config use-context NAME'), or set HUBCTL_ENDPOINT\n");

        hubctl().run("config", "set-context", "dev", "--endpoint", "http://127.0.0.1:1");
        CliRun noToken = hubctl().run("providers", "list");
        assertThat(noToken.exitCode()).isEqualTo(4);
        assertThat(noToken.err())
                .isEqualTo("error: no token: run 'hubctl config set-context dev --token-file FILE' (or"
                        + " --token-env VAR), or set HUBCTL_TOKEN\n");

        hubctl().run("config", "set-context", "dev", "--token-env", "UNSET_TOKEN");
        assertThat(hubctl().run("providers", "list").err())
                .isEqualTo("error: context 'dev' reads its token from $UNSET_TOKEN," + " which is not set\n");

        CliRun unknownContext = hubctl().run("providers", "list", "--context", "nope");
        assertThat(unknownContext.exitCode()).isEqualTo(1);
        assertThat(unknownContext.err()).contains("context 'nope' is not in ");
    }

    @Test
    void aBrokenConfigFileIsReportedByPlaceWithoutQuotingIt() throws IOException {
        Path file = home.resolve("hubctl/config.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "contexts:\n  dev:\n    token: stored-token-value\n   endpoint: [\n");

        CliRun run = hubctl().run("providers", "list", "-v");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: the config file " + file + " is not a valid hubctl config (line ");
        assertThat(run.err()).doesNotContain("stored-token-value");

        Files.writeString(file, "contexts:\n  dev:\n    endpont: http://x\n");
        assertThat(hubctl().run("config", "view").err()).contains("has an unknown key 'endpont'");
    }
}
