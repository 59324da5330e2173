package io.integrationhub.cli.dlq;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.cli.CliHub;
import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.cli.Hubctl;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.config.ConfigStore;
import io.integrationhub.testkit.Canary;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** hubctl dlq list|get|retry|retry-all|delete against the real DLQ API of a real data plane. */
@Tag("hub")
class DlqCommandsTest {
    private static final Pattern PARKED = Pattern.compile("dead letter queue as ([0-9a-z]+) ");

    private static CliHub hub;
    private static WireMockServer provider;

    @TempDir
    static Path home;

    private static CliRunner hubctl;

    @BeforeAll
    static void start() {
        hub = CliHub.start();
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        hubctl = new CliRunner(home.resolve("config"))
                .env("HUBCTL_ENDPOINT", hub.endpoint())
                .env("HUBCTL_TOKEN", hub.adminToken("t1"));
    }

    @AfterAll
    static void stop() {
        provider.stop();
        hub.close();
    }

    /** A provider failing with 500 once per call (one attempt, so every call is parked at once). */
    private static void failingProvider(String name) {
        String manifest = """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: %s}
                spec:
                  type: sms
                  baseUrl: http://127.0.0.1:%d/%s
                  config: {allowPrivateNetwork: true, retry: {maxAttempts: 1}}
                """.formatted(name, provider.port(), name);
        assertThat(hubctl.runWithStdin(manifest, "providers", "apply", "-f", "-")
                        .exitCode())
                .isZero();
        answer(name, 500);
    }

    private static void answer(String name, int status) {
        provider.stubFor(any(urlPathMatching("/" + name + "/.*"))
                .willReturn(aResponse().withStatus(status).withBody("status " + status)));
    }

    /** Makes {@code count} calls that end in the DLQ and returns their entry ids. */
    private static List<String> park(String name, int count, String... extraArgs) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> args =
                    new ArrayList<>(List.of("call", name, "POST", "/send/" + i, "-d", "{\"n\": " + i + "}"));
            args.addAll(List.of(extraArgs));
            CliRun run = hubctl.run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
            Matcher matcher = PARKED.matcher(run.err());
            assertThat(matcher.find()).as(run.err()).isTrue();
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String status(String id) {
        return hubctl.run("dlq", "get", id, "-o", "json").json().get("status").asText();
    }

    @Test
    void listShowsEntriesWithProviderNamesAndFilters() {
        failingProvider("sms-list");
        String id = park("sms-list", 1).get(0);

        CliRun table = hubctl.run("dlq", "list", "--provider", "sms-list");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.outLines().get(0))
                .startsWith("ID")
                .contains("PROVIDER", "METHOD", "PATH", "STATUS", "ATTEMPTS", "LAST ERROR", "CREATED");
        assertThat(table.outLines()).hasSize(2);
        assertThat(table.outLines().get(1))
                .startsWith(id + " ")
                .contains(" sms-list ", " POST ", " /send/0 ", " pending ", " upstream_status 500 ");

        CliRun json = hubctl.run(
                "dlq", "list", "--provider", "sms-list", "--status", "pending,failed", "--since", "1h", "-o", "json");
        assertThat(json.json().get("items")).hasSize(1);
        assertThat(json.json().at("/items/0/id").asText()).isEqualTo(id);

        assertThat(hubctl.run("dlq", "list", "--provider", "sms-list", "--status", "succeeded")
                        .err())
                .isEqualTo("No dead letters found.\n");
        assertThat(hubctl.run("dlq", "list", "--provider", "sms-list", "--until", "2020-01-01T00:00:00Z", "-o", "json")
                        .json()
                        .get("items"))
                .isEmpty();
        CliRun unknown = hubctl.run("dlq", "list", "--provider", "no-such-provider");
        assertThat(unknown.exitCode()).isEqualTo(2);
        CliRun badStatus = hubctl.run("dlq", "list", "--status", "lost");
        assertThat(badStatus.exitCode()).isEqualTo(3);
        assertThat(badStatus.err()).contains("\n  status: ");
        assertThat(hubctl.run("dlq", "list", "--since", "yesterday").err())
                .isEqualTo(
                        "error: --since takes a duration ago (30m, 2h, 7d) or an instant such as 2026-01-31T12:00:00Z\n");
    }

    @Test
    void getShowsTheStoredRequestWithSecretsMasked() {
        failingProvider("sms-get");
        String id = park("sms-get", 1, "-H", "X-Api-Key: " + Canary.SECRET, "-H", "X-Trace: t-42")
                .get(0);

        CliRun table = hubctl.run("dlq", "get", id);
        CliRun json = hubctl.run("dlq", "get", id, "-o", "json", "--include-body");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out())
                .contains(id)
                .contains("header X-Trace", "t-42")
                .contains("header X-Api-Key", "***")
                .contains("\nbody               8 bytes (--include-body -o json shows it)\n");
        JsonNode request = json.json().get("request");
        assertThat(request.at("/headers/X-Api-Key/0").asText()).isEqualTo("***");
        assertThat(new String(java.util.Base64.getDecoder()
                        .decode(request.get("bodyBase64").asText())))
                .isEqualTo("{\"n\": 0}");
        assertThat(table.out() + json.out()).doesNotContain(Canary.SECRET);

        CliRun missing = hubctl.run("dlq", "get", "01aaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("(dlq-entry-not-found, HTTP 404)").contains("hint: 'hubctl dlq list'");
    }

    @Test
    void retryReplaysTheEntryUntilItSucceeds() {
        failingProvider("sms-retry");
        String id = park("sms-retry", 1).get(0);
        answer("sms-retry", 200);

        CliRun retry = hubctl.run("dlq", "retry", id);

        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).isEqualTo("deadletter/" + id + " queued for retry\n");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(status(id)).isEqualTo("succeeded"));

        answer("sms-retry", 500);
        String second = park("sms-retry", 1).get(0);
        answer("sms-retry", 200);
        CliRun json = hubctl.run("dlq", "retry", second, "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().get("id").asText()).isEqualTo(second);
        assertThat(json.json().get("status").asText()).isIn("retrying", "succeeded");
        CliRun again = hubctl.run("dlq", "retry", id);
        assertThat(again.exitCode()).as("a succeeded entry is not retried").isEqualTo(3);
        assertThat(again.err()).contains("dlq-entry-conflict");
    }

    @Test
    void retryAllFollowsTheBatchWithAProgressBarAndSummarizes() {
        failingProvider("sms-all");
        park("sms-all", 3);
        answer("sms-all", 200);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Hubctl.commandLine(new Session(
                Map.of("HUBCTL_ENDPOINT", hub.endpoint(), "HUBCTL_TOKEN", hub.adminToken("t1")),
                new ConfigStore(home.resolve("config")),
                new ByteArrayInputStream(new byte[0]),
                true));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("dlq", "retry-all", "--provider", "sms-all", "--poll-interval", "100");
        Canary.record("cli hubctl dlq retry-all (terminal)", out + "\n" + err);

        assertThat(exitCode).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .matches("retry-all [0-9a-z]+: queued 3, succeeded 3, failed 0, pending 0, removed 0\n");
        assertThat(err.toString())
                .startsWith("\r[")
                .contains("[##############################]  3/3  succeeded 3  failed 0")
                .endsWith("\n");
        assertThat(hubctl.run("dlq", "list", "--provider", "sms-all", "--status", "succeeded", "-o", "json")
                        .json()
                        .get("items"))
                .hasSize(3);

        CliRun nothing = hubctl.run("dlq", "retry-all", "--provider", "sms-all");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).isEqualTo("retry-all: no pending or failed dead letter matches\n");
    }

    @Test
    void retryAllExits5WhenRetriesFailAndPrintsTheSummaryAsJson() {
        failingProvider("sms-down");
        park("sms-down", 2);

        CliRun run = hubctl.run("dlq", "retry-all", "--provider", "sms-down", "-o", "json", "--poll-interval", "100");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        JsonNode summary = run.json();
        assertThat(summary.get("queued").asInt()).isEqualTo(2);
        assertThat(summary.get("failed").asInt()).isEqualTo(2);
        assertThat(summary.get("done").asBoolean()).isTrue();
        assertThat(run.err()).isEqualTo("error: 2 of 2 retries failed; 'hubctl dlq list --status failed' shows them\n");

        CliRun started = hubctl.run("dlq", "retry-all", "--provider", "sms-down", "--no-wait");
        assertThat(started.exitCode()).isZero();
        assertThat(started.out())
                .matches(
                        "retry-all [0-9a-z]+ started: 2 queued \\(progress: GET /api/v1/integrations/dlq/retry-all/[0-9a-z]+\\)\n");
    }

    @Test
    void deleteRemovesAnEntry() {
        failingProvider("sms-delete");
        String id = park("sms-delete", 1).get(0);

        CliRun delete = hubctl.run("dlq", "delete", id);
        CliRun json = hubctl.run("dlq", "delete", id, "-o", "json");

        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out()).isEqualTo("deadletter/" + id + " deleted\n");
        assertThat(hubctl.run("dlq", "get", id).exitCode()).isEqualTo(2);
        assertThat(json.exitCode()).isEqualTo(2);
    }
}
