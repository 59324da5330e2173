package io.integrationhub.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/development.md "Control plane locally", run as written: {@code scripts/dev-cluster up}, real kubectl
 * applying the CRD and every example and waiting for Ready, then {@code down}, after which nothing it
 * started is left: no process, no listening port, no database.
 */
@Tag("slow")
class DevClusterReadmeTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theReadmeCommandsRunAsWrittenAndDownLeavesNothingRunning(@TempDir Path state) throws Exception {
        Kubectl.binary();
        String commands = readmeCommands();
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", commands).directory(REPO.toFile());
        Map<String, String> env = bash.environment();
        env.put("HUB_DEV_CLUSTER_DIR", state.toString());
        env.put("HUB_DEV_CLUSTER_PORT", "0");
        // The classpath this test runs with holds everything the dev cluster needs: no nested build.
        env.put("HUB_DEV_CLUSTER_CLASSPATH", System.getProperty("java.class.path"));
        env.put("KUBECACHEDIR", state.resolve("kube-cache").toString());
        Path out = state.resolve("out");
        Path err = state.resolve("err");
        Process process =
                bash.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = process.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
            run(state, "down");
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        System.out.println(
                "docs/development.md \"Control plane locally\" output:\n" + stdout + "--- stderr\n" + stderr);

        assertThat(finished).as("finished in 300 s").isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();
        assertThat(stdout)
                .contains("provider.integrationhub.io/psp condition met", "provider.integrationhub.io \"psp\" deleted")
                .containsPattern("NAME\\s+URL\\s+AUTH\\s+READY\\s+CIRCUIT\\s+AGE")
                .containsPattern(
                        "ads-api\\s+https://ads.example.com/v3\\s+oauth2_client_credentials\\s+True\\s+Closed");

        Matcher server = Pattern.compile("API server (http://\\S+),").matcher(stderr);
        assertThat(server.find()).as("the API server's URL in up's log").isTrue();
        URI url = URI.create(server.group(1));
        assertThat(listening(url)).as("%s after down", url).isFalse();
        assertThat(run(state, "status")).isEqualTo(3);
        assertThat(state.resolve("pid")).doesNotExist();
        assertThat(databaseExists(Files.readString(state.resolve("database")).trim()))
                .as("the dev cluster's database")
                .isFalse();
    }

    /** The first bash block of the section "Control plane locally" in docs/development.md. */
    private static String readmeCommands() throws IOException {
        String readme = Files.readString(REPO.resolve("docs/development.md"));
        int section = readme.indexOf("\n## Control plane locally\n");
        assertThat(section).as("docs/development.md section").isNotNegative();
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        return readme.substring(start, readme.indexOf("\n```", start) + 1);
    }

    private static int run(Path state, String command) throws Exception {
        ProcessBuilder script = new ProcessBuilder(
                        REPO.resolve("scripts/dev-cluster").toString(), command)
                .directory(REPO.toFile())
                .inheritIO();
        script.environment().put("HUB_DEV_CLUSTER_DIR", state.toString());
        Process process = script.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static boolean listening(URI url) throws IOException {
        try (Socket ignored = new Socket(url.getHost(), url.getPort())) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    private static boolean databaseExists(String name) throws Exception {
        String host = System.getenv().getOrDefault("HUB_TEST_PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("HUB_TEST_PG_PORT", "5432");
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://" + host + ":" + port + "/postgres",
                        System.getenv().getOrDefault("HUB_TEST_PG_USER", "hub"),
                        System.getenv().getOrDefault("HUB_TEST_PG_PASSWORD", "hub"));
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
