package io.integrationhub.cli.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.cli.CliHub;
import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hubctl call through a real data plane to a provider played by WireMock. */
@Tag("hub")
class CallCommandTest {
    private static CliHub hub;
    private static WireMockServer provider;

    @TempDir
    static Path home;

    private static CliRunner hubctl;

    @BeforeAll
    static void start() throws IOException {
        hub = CliHub.start();
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        hubctl = new CliRunner(home.resolve("config"))
                .env("HUBCTL_ENDPOINT", hub.endpoint())
                .env("HUBCTL_TOKEN", hub.adminToken("t1"))
                .env("ECHO_API_KEY", Canary.SECRET);
        String manifests = """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: echo}
                spec:
                  type: custom
                  baseUrl: http://127.0.0.1:%d
                  auth: {type: api_key, name: X-Api-Key, secretRef: {name: echo-creds, keys: {apiKey: api-key}}}
                  config: {allowPrivateNetwork: true, timeoutMs: 2000}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: flaky}
                spec:
                  type: custom
                  baseUrl: http://127.0.0.1:%d/flaky
                  config: {allowPrivateNetwork: true, retry: {maxAttempts: 1}}
                """.formatted(provider.port(), provider.port());
        CliRun applied = hubctl.runWithStdin(manifests, "providers", "apply", "-f", "-", "--from-env", "ECHO_");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        provider.stop();
        hub.close();
    }

    @BeforeEach
    void reset() {
        provider.resetAll();
    }

    @Test
    void getPrintsTheStatusLineOnStderrAndTheBodyOnStdout() {
        provider.stubFor(get(urlPathEqualTo("/v1/items"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"items\":[1,2]}")));

        CliRun run = hubctl.run(
                "call",
                "echo",
                "GET",
                "/v1/items",
                "-q",
                "limit=3",
                "-q",
                "tag=a",
                "-q",
                "tag=b",
                "-H",
                "X-Trace: t-1",
                "--idempotency-key",
                "get-1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("{\"items\":[1,2]}\n");
        assertThat(run.err()).isEqualTo("HTTP 200 OK (upstream, attempts 1, idempotency-key get-1)\n");
        provider.verify(getRequestedFor(urlPathEqualTo("/v1/items"))
                .withQueryParam("limit", equalTo("3"))
                .withQueryParam("tag", equalTo("a"))
                .withQueryParam("tag", equalTo("b"))
                .withHeader("X-Trace", equalTo("t-1"))
                .withHeader("X-Api-Key", equalTo(Canary.SECRET))
                .withHeader("Idempotency-Key", equalTo("get-1")));
    }

    @Test
    void aJsonBodyReachesTheProviderByteForByteFromTheCommandLineAFileOrStandardInput() throws IOException {
        provider.stubFor(post(urlPathEqualTo("/v1/charges"))
                .willReturn(aResponse().withStatus(201).withBody("created")));
        Path body = home.resolve("charge.json");
        // Spacing, key order and digits a JSON parser would not keep: the provider reads them as given.
        String literalBody = "{ \"amount\":100.10, \"fee\": 12345678901234567890.123456789 }";
        String fileBody = "{\"amount\": 200,\n  \"tiny\": 4.9e-325, \"rate\": 1.00000000000000001}";
        String stdinBody = "{\"amount\":   300, \"zero\": -0.0e0}";
        Files.writeString(body, fileBody);

        CliRun literal = hubctl.run("call", "echo", "POST", "/v1/charges", "-d", literalBody);
        CliRun fromFile = hubctl.run("call", "echo", "post", "/v1/charges", "-d", "@" + body);
        CliRun fromStdin = hubctl.runWithStdin(stdinBody, "call", "echo", "POST", "/v1/charges", "-d", "@-");

        for (CliRun run : new CliRun[] {literal, fromFile, fromStdin}) {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo("created\n");
            assertThat(run.err()).startsWith("HTTP 201 Created (upstream, attempts 1, idempotency-key ");
        }
        for (String sent : new String[] {literalBody, fileBody, stdinBody}) {
            provider.verify(postRequestedFor(urlPathEqualTo("/v1/charges"))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(equalTo(sent)));
        }
    }

    @Test
    void aBodyThatIsNotJsonNeedsItsContentType() {
        provider.stubFor(
                post(urlPathEqualTo("/v1/payments")).willReturn(aResponse().withStatus(200)));

        CliRun unnamed = hubctl.run("call", "echo", "POST", "/v1/payments", "-d", "amount=100&currency=eur");
        assertThat(unnamed.exitCode()).isEqualTo(1);
        assertThat(unnamed.err())
                .isEqualTo("error: the data is not JSON; say what it is with --content-type"
                        + " (e.g. application/x-www-form-urlencoded, text/plain, application/xml)\n");

        CliRun form = hubctl.run(
                "call",
                "echo",
                "POST",
                "/v1/payments",
                "-d",
                "amount=100&currency=eur",
                "--content-type",
                "application/x-www-form-urlencoded");
        assertThat(form.exitCode()).as(form.toString()).isZero();
        assertThat(form.out()).isEmpty();
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/payments"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("amount=100&currency=eur")));
    }

    @Test
    void theSameIdempotencyKeyIsReplayedWithoutASecondUpstreamCall() {
        provider.stubFor(post(urlPathEqualTo("/v1/refunds"))
                .willReturn(aResponse().withStatus(200).withBody("refunded")));

        CliRun first =
                hubctl.run("call", "echo", "POST", "/v1/refunds", "-d", "{\"id\": 7}", "--idempotency-key", "refund-7");
        CliRun second =
                hubctl.run("call", "echo", "POST", "/v1/refunds", "-d", "{\"id\": 7}", "--idempotency-key", "refund-7");

        assertThat(second.out()).isEqualTo(first.out()).isEqualTo("refunded\n");
        assertThat(second.err()).isEqualTo("HTTP 200 OK (upstream, attempts 0, idempotency-key refund-7, replayed)\n");
        provider.verify(1, postRequestedFor(urlPathEqualTo("/v1/refunds")));
    }

    @Test
    void theProvidersOwnErrorIsPrintedAndSetsTheExitCode() {
        provider.stubFor(get(urlPathEqualTo("/v1/customers/42"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"no such customer\"}")));
        provider.stubFor(post(urlPathEqualTo("/v1/customers"))
                .willReturn(aResponse().withStatus(400).withBody("bad email")));

        CliRun missing = hubctl.run("call", "echo", "GET", "/v1/customers/42");
        CliRun invalid = hubctl.run("call", "echo", "POST", "/v1/customers", "-d", "{}");

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.out()).isEqualTo("{\"error\":\"no such customer\"}\n");
        assertThat(missing.err()).startsWith("HTTP 404 Not Found (upstream, attempts 1,");
        assertThat(invalid.exitCode()).isEqualTo(3);
        assertThat(invalid.out()).isEqualTo("bad email\n");
    }

    @Test
    void hubProblemsAreOneLinePlusTheirFields() {
        CliRun unknown = hubctl.run("call", "nope", "GET", "/");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith("error: ").contains("(provider-not-found, HTTP 404)\n");

        CliRun invalid = hubctl.run("call", "echo", "GET", "/", "--timeout-ms", "0");
        assertThat(invalid.exitCode()).isEqualTo(3);
        assertThat(invalid.err()).startsWith("error: 1 field is invalid (validation, HTTP 422)\n  timeoutMs: ");

        CliRun traversal = hubctl.run("call", "echo", "GET", "/../admin");
        assertThat(traversal.exitCode()).isEqualTo(3);
        assertThat(traversal.err()).contains("(validation, HTTP 422)");
        provider.verify(0, getRequestedFor(urlPathEqualTo("/admin")));
    }

    @Test
    void anUpstreamFailureExits5AndNamesTheDeadLetterEntry() {
        provider.stubFor(any(urlPathEqualTo("/flaky/v1/send"))
                .willReturn(aResponse().withStatus(500).withBody("boom")));

        CliRun run = hubctl.run("call", "flaky", "POST", "/v1/send", "-d", "{\"to\": \"+4912345\"}");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("error: ")
                .contains("(upstream-failed, HTTP 502)")
                .containsPattern(
                        "\n  the request was parked in the dead letter queue as [0-9a-z]+ \\(hubctl dlq get [0-9a-z]+\\)\n");
    }

    @Test
    void jsonOutputWrapsStatusHeadersAndBody() {
        provider.stubFor(get(urlPathEqualTo("/v1/me"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"me\"}")));
        provider.stubFor(get(urlPathEqualTo("/v1/logo"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "image/png")
                        .withBody(new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, 0})));

        CliRun json = hubctl.run("call", "echo", "GET", "/v1/me", "-o", "json", "--idempotency-key", "me-1");
        JsonNode answer = json.json();
        assertThat(json.exitCode()).isZero();
        assertThat(answer.get("status").asInt()).isEqualTo(200);
        assertThat(answer.get("source").asText()).isEqualTo("upstream");
        assertThat(answer.get("attempts").asInt()).isEqualTo(1);
        assertThat(answer.get("idempotencyKey").asText()).isEqualTo("me-1");
        assertThat(answer.get("replayed").asBoolean()).isFalse();
        assertThat(answer.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(answer.at("/body/id").asText()).isEqualTo("me");

        CliRun binary = hubctl.run("call", "echo", "GET", "/v1/logo");
        assertThat(binary.out()).isEmpty();
        assertThat(binary.err()).endsWith("(a binary body of 6 bytes; --body-file FILE saves it)\n");
        assertThat(hubctl.run("call", "echo", "GET", "/v1/logo", "-o", "yaml").out())
                .contains("bodyBase64: iVBOR/8A\n");
        Path saved = home.resolve("logo.png");
        hubctl.run("call", "echo", "GET", "/v1/logo", "--body-file", saved.toString());
        assertThat(saved).hasBinaryContent(new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, 0});
    }
}
