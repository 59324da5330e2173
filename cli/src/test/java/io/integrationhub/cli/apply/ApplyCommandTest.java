package io.integrationhub.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.integrationhub.cli.CliHub;
import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hubctl providers apply: the kubectl Provider YAML, credentials from Secret/env/file, idempotent. */
@Tag("hub")
class ApplyCommandTest {
    private static final Path EXAMPLES = Path.of("../crds/examples");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static CliHub hub;

    @TempDir
    static Path home;

    private static CliRunner hubctl;

    @BeforeAll
    static void startHub() {
        hub = CliHub.start();
        hubctl = new CliRunner(home.resolve("config"));
        hubctl.env("T1_TOKEN", hub.adminToken("t1"))
                .env("ACME_TOKEN", hub.adminToken("acme"))
                .env("MKT_TOKEN", hub.adminToken("marketing"));
        assertThat(hubctl.run(
                                "config",
                                "set-context",
                                "dev",
                                "--endpoint",
                                hub.endpoint(),
                                "--tenant",
                                "t1",
                                "--token-env",
                                "T1_TOKEN")
                        .exitCode())
                .isZero();
        assertThat(hubctl.run(
                                "config",
                                "set-context",
                                "acme",
                                "--endpoint",
                                hub.endpoint(),
                                "--token-env",
                                "ACME_TOKEN")
                        .exitCode())
                .isZero();
        assertThat(hubctl.run(
                                "config",
                                "set-context",
                                "marketing",
                                "--endpoint",
                                hub.endpoint(),
                                "--token-env",
                                "MKT_TOKEN")
                        .exitCode())
                .isZero();
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The context whose token grants the tenant an example names (spec.tenantId; else the context's, t1). */
    private static String contextFor(Path example) throws IOException {
        for (JsonNode doc : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(example.toFile())
                .readAll()) {
            if ("Provider".equals(doc.path("kind").asText())
                    && doc.at("/spec/tenantId").isTextual()) {
                return doc.at("/spec/tenantId").asText();
            }
        }
        return "dev";
    }

    private static String providerName(Path example) throws IOException {
        for (JsonNode doc : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(example.toFile())
                .readAll()) {
            if ("Provider".equals(doc.path("kind").asText())) {
                return doc.at("/metadata/name").asText();
            }
        }
        throw new AssertionError("no Provider in " + example);
    }

    private Path file(String name, String content) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void everyExampleIsCreatedThenUnchangedOnTheSecondRun() throws IOException {
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
        for (Path example : examples) {
            String context = contextFor(example);
            String name = providerName(example);

            CliRun first = hubctl.run("providers", "apply", "-f", example.toString(), "--context", context);
            assertThat(first.exitCode()).as(example + "\n" + first).isZero();
            assertThat(first.out()).as(example.toString()).isEqualTo("provider/" + name + " created\n");
            assertThat(first.err()).isEmpty();

            CliRun second = hubctl.run("providers", "apply", "-f", example.toString(), "--context", context);
            assertThat(second.out()).as(example + "\n" + second).isEqualTo("provider/" + name + " unchanged\n");

            CliRun json =
                    hubctl.run("providers", "apply", "-f", example.toString(), "--context", context, "-o", "json");
            assertThat(json.json().at("/items/0/action").asText())
                    .as(example.toString())
                    .isEqualTo("unchanged");
            assertThat(json.json().at("/items/0/name").asText()).isEqualTo(name);
            assertThat(json.json().at("/items/0/version").asInt())
                    .as("no write happened")
                    .isEqualTo(1);
        }
        // What the hub holds is what the files say (spot checks), with credentials present but masked.
        JsonNode psp = hubctl.run("providers", "get", "psp", "-o", "json").json();
        assertThat(psp.at("/config/timeoutMs").asInt()).isEqualTo(8000);
        assertThat(psp.at("/config/defaultHeaders/Psp-Version").asText()).isEqualTo("2024-06-20");
        assertThat(psp.at("/auth/credentials/apiKey").asText()).isEqualTo("***");
        JsonNode sms = hubctl.run("providers", "get", "sms-gateway", "-o", "json", "--context", "acme")
                .json();
        assertThat(sms.get("tenantId").asText()).isEqualTo("acme");
        JsonNode ads = hubctl.run("providers", "get", "ads-api", "-o", "json").json();
        assertThat(ads.at("/auth/scopes").toString()).isEqualTo("[\"ads.read\",\"ads.write\"]");
        assertThat(ads.at("/auth/credentials/clientSecret").asText()).isEqualTo("***");
    }

    @Test
    void aDirectoryIsAppliedOnlyWhenEveryProviderInItCanBe() {
        // The examples directory holds two providers of tenant acme; the marketing token may not read or write them.
        CliRun run = hubctl.run("providers", "apply", "-f", EXAMPLES.toString(), "--context", "marketing");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains(
                        "error: provider/sms-gateway (../crds/examples/bearer.yaml): the token does not grant tenant acme")
                .contains(
                        "error: provider/sms-gateway-eu (../crds/examples/failover.yaml): the token does not grant tenant acme")
                .endsWith("error: 2 of 7 providers cannot be applied (see above); nothing was changed\n");
        assertThat(hubctl.run("providers", "list", "--context", "marketing", "-o", "json")
                        .json()
                        .path("items"))
                .as("nothing written")
                .isEmpty();
    }

    @Test
    void aFailoverTargetInTheSameApplyIsCreatedBeforeTheRouteWhateverTheFileOrder() throws IOException {
        Path manifest = file("route-first.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: route-main}
                spec: {type: custom, baseUrl: https://main.example.com, config: {failover: {to: [route-backup], onStatus: [503]}}}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: route-backup}
                spec: {type: custom, baseUrl: https://backup.example.com}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("provider/route-backup created\nprovider/route-main created\n");
        assertThat(hubctl.run("providers", "get", "route-main", "-o", "json")
                        .json()
                        .at("/config/failover/to/0")
                        .asText())
                .isEqualTo("route-backup");
    }

    /** Found by the input-file fuzzer: only the hub knew that a route's target is missing, after the first write. */
    @Test
    void aRouteToAProviderNeitherAtTheHubNorInTheApplyChangesNothing() throws IOException {
        Path manifest = file("dangling-route.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: plain-ok}
                spec: {type: custom, baseUrl: https://ok.example.com}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: dangling}
                spec: {type: custom, baseUrl: https://dangling.example.com, config: {failover: {to: [nowhere]}}}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("error: provider/dangling (" + manifest + "): 1 field is invalid\n"
                        + "  spec.config.failover.to[0]: no provider named 'nowhere' in tenant t1, at the hub or in this apply\n"
                        + "error: 1 of 2 providers cannot be applied (see above); nothing was changed\n");
        assertThat(hubctl.run("providers", "get", "plain-ok").exitCode())
                .as("plain-ok was not created")
                .isEqualTo(2);
    }

    @Test
    void newProvidersWhoseRoutesNameEachOtherChangeNothing() throws IOException {
        Path manifest = file("cycle.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: cycle-a}
                spec: {type: custom, baseUrl: https://a.example.com, config: {failover: {to: [cycle-b]}}}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: cycle-b}
                spec: {type: custom, baseUrl: https://b.example.com, config: {failover: {to: [cycle-a]}}}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err())
                .contains("error: provider/cycle-a (" + manifest
                        + "): its failover route and that of another new provider")
                .endsWith("error: 2 of 2 providers cannot be applied (see above); nothing was changed\n");
        assertThat(hubctl.run("providers", "get", "cycle-a").exitCode()).isEqualTo(2);
    }

    /** Found by the input-file fuzzer: the valid first provider was created before the second was refused. */
    @Test
    void aFileWithOneInvalidProviderChangesNothing() throws IOException {
        Path manifest = file("half-valid.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: first-ok}
                spec: {type: custom, baseUrl: https://ok.example.com}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: second-bad}
                spec: {type: custom, baseUrl: https://bad.example.com, config: {timeoutMs: 999999}}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("error: provider/second-bad (" + manifest + "): 1 field is invalid\n"
                        + "  spec.config.timeoutMs: must be an integer from 1 to 30000\n"
                        + "error: 1 of 2 providers cannot be applied (see above); nothing was changed\n");
        assertThat(hubctl.run("providers", "get", "first-ok").exitCode())
                .as("first-ok was not created")
                .isEqualTo(2);
    }

    @Test
    void aFileChangingAnOperatorManagedProviderChangesNothingAndPointsToKubectl() throws IOException {
        hub.createOperatorManaged(
                "t1", "{\"name\": \"from-operator\", \"type\": \"sms\", \"baseUrl\": \"https://sms.example.com\"}");
        Path manifest = file("with-operator.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: beside-operator}
                spec: {type: custom, baseUrl: https://beside.example.com}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: from-operator}
                spec: {type: sms, baseUrl: https://sms2.example.com}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("error: provider/from-operator (" + manifest
                        + "): is managed by a Kubernetes Provider resource;"
                        + " change it with kubectl (kubectl edit provider from-operator)\n"
                        + "error: 1 of 2 providers cannot be applied (see above); nothing was changed\n");
        assertThat(hubctl.run("providers", "get", "beside-operator").exitCode()).isEqualTo(2);
    }

    @Test
    void changingTheAuthTypeNeedsCredentialsBeforeAnythingIsSent() throws IOException {
        String none = """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: switcher}
                spec: {type: custom, baseUrl: https://switch.example.com}
                """;
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("switcher.yaml", none).toString())
                        .out())
                .isEqualTo("provider/switcher created\n");

        Path bearer = file(
                "switcher.yaml",
                none.replace(
                        "baseUrl: https://switch.example.com",
                        "baseUrl: https://switch.example.com, auth: {type: bearer, secretRef: {name: switch-creds}}"));
        CliRun run = hubctl.run("providers", "apply", "-f", bearer.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo(
                        "error: provider/switcher (" + bearer + "): needs credentials [token] to change its auth type:"
                                + " add the Secret switch-creds to the input, or use --from-env PREFIX or --from-file KEY=PATH\n");
        assertThat(hubctl.run("providers", "get", "switcher", "-o", "json")
                        .json()
                        .at("/auth/type")
                        .asText())
                .isEqualTo("none");
    }

    @Test
    void severalDocumentsFromStandardInput() throws IOException {
        String input = """
                apiVersion: v1
                kind: Secret
                metadata: {name: a-creds}
                stringData: {token: %s}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: stdin-a}
                spec:
                  type: sms
                  baseUrl: https://a.example.com
                  auth: {type: bearer, secretRef: {name: a-creds}}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: stdin-b}
                spec: {type: email, baseUrl: https://b.example.com}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unrelated}
                """.formatted(Canary.SECRET);

        CliRun run = hubctl.runWithStdin(input, "providers", "apply", "-f", "-");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("provider/stdin-a created\nprovider/stdin-b created\n");
        assertThat(run.err())
                .isEqualTo("warning: <stdin>: skipped v1 ConfigMap/unrelated; hubctl applies integrationhub.io/v1"
                        + " Provider (and reads v1 Secret)\n");
        assertThat(hubctl.runWithStdin(input, "providers", "apply", "-f", "-").out())
                .isEqualTo("provider/stdin-a unchanged\nprovider/stdin-b unchanged\n");
    }

    @Test
    void aChangedManifestIsConfiguredAndFieldsItDropsTakeTheirDefaults() throws IOException {
        String original = """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: rates}
                spec:
                  type: analytics
                  baseUrl: https://rates.example.com
                  config: {timeoutMs: 2000, rateLimitPerSec: 20, retry: {maxAttempts: 2, multiplier: 1.5}}
                """;
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("rates.yaml", original).toString())
                        .out())
                .isEqualTo("provider/rates created\n");
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("rates.yaml", original).toString())
                        .out())
                .isEqualTo("provider/rates unchanged\n");

        String changed = original.replace(
                "config: {timeoutMs: 2000, rateLimitPerSec: 20, retry: {maxAttempts: 2, multiplier: 1.5}}",
                "config: {timeoutMs: 3000}");
        CliRun dryRun = hubctl.run(
                "providers", "apply", "-f", file("rates.yaml", changed).toString(), "--dry-run");
        assertThat(dryRun.out()).isEqualTo("provider/rates configured (dry run)\n");
        assertThat(hubctl.run("providers", "get", "rates", "-o", "json")
                        .json()
                        .at("/config/timeoutMs")
                        .asInt())
                .isEqualTo(2000);

        CliRun applied = hubctl.run(
                "providers", "apply", "-f", file("rates.yaml", changed).toString());
        assertThat(applied.out()).isEqualTo("provider/rates configured\n");
        JsonNode held = hubctl.run("providers", "get", "rates", "-o", "json").json();
        assertThat(held.at("/config/timeoutMs").asInt()).isEqualTo(3000);
        assertThat(held.at("/config/rateLimitPerSec").asInt())
                .as("the hub's default again")
                .isEqualTo(100);
        assertThat(held.at("/config/retry/maxAttempts").asInt()).isEqualTo(5);
        assertThat(held.at("/config/retry/multiplier").asDouble()).isEqualTo(2.0);
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("rates.yaml", changed).toString())
                        .out())
                .isEqualTo("provider/rates unchanged\n");
    }

    @Test
    void credentialsFromTheEnvironmentOrFilesAndTheirChangeIsDetected() throws IOException {
        Path manifest = file("env-psp.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: env-psp}
                spec:
                  type: payment
                  baseUrl: https://psp.example.com
                  auth: {type: api_key, name: X-Api-Key, secretRef: {name: env-psp-creds, keys: {apiKey: api-key}}}
                """);
        CliRunner withEnv = hubctl.env("ENVPSP_API_KEY", Canary.SECRET);

        assertThat(withEnv.run("providers", "apply", "-f", manifest.toString(), "--from-env", "ENVPSP_")
                        .out())
                .isEqualTo("provider/env-psp created\n");
        assertThat(withEnv.run("providers", "apply", "-f", manifest.toString(), "--from-env", "ENVPSP_")
                        .out())
                .isEqualTo("provider/env-psp unchanged\n");

        Path keyFile = file("psp-key.txt", Canary.SECRET + "\n");
        assertThat(hubctl.run("providers", "apply", "-f", manifest.toString(), "--from-file", "api-key=" + keyFile)
                        .out())
                .as("the same value from a file (trailing line break dropped)")
                .isEqualTo("provider/env-psp unchanged\n");

        withEnv.env("ENVPSP_API_KEY", Canary.SECRET + "-rotated");
        CliRun rotated =
                withEnv.run("providers", "apply", "-f", manifest.toString(), "--from-env", "ENVPSP_", "-o", "json");
        assertThat(rotated.json().at("/items/0/action").asText()).isEqualTo("configured");
        assertThat(rotated.json().at("/items/0/version").asInt()).isEqualTo(2);
        assertThat(withEnv.run("providers", "apply", "-f", manifest.toString(), "--from-env", "ENVPSP_")
                        .out())
                .isEqualTo("provider/env-psp unchanged\n");

        // Changed by someone else since (version moved on): credentials given count as changed again.
        hubctl.runWithStdin("{\"config\": {\"timeoutMs\": 4000}}", "providers", "update", "env-psp", "-f", "-");
        assertThat(withEnv.run("providers", "apply", "-f", manifest.toString(), "--from-env", "ENVPSP_")
                        .out())
                .isEqualTo("provider/env-psp configured\n");
        withEnv.env("ENVPSP_API_KEY", null);
    }

    @Test
    void withoutAnyCredentialSourceAnExistingProviderKeepsItsStoredCredentials() throws IOException {
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: keep-creds}
                data: {token: %s}
                ---
                """.formatted(java.util.Base64.getEncoder().encodeToString(Canary.SECRET.getBytes()));
        String provider = """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: keep}
                spec:
                  type: sms
                  baseUrl: https://keep.example.com
                  auth: {type: bearer, secretRef: {name: keep-creds}}
                """;
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("keep-all.yaml", secret + provider).toString())
                        .out())
                .isEqualTo("provider/keep created\n");

        Path specOnly = file("keep.yaml", provider);
        assertThat(hubctl.run("providers", "apply", "-f", specOnly.toString()).out())
                .isEqualTo("provider/keep unchanged\n");
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("keep.yaml", provider.replace("keep.example.com", "keep.example.com/v2"))
                                        .toString())
                        .out())
                .as("same scheme, host and port: the credentials may stay")
                .isEqualTo("provider/keep configured\n");
        assertThat(hubctl.run("providers", "get", "keep", "-o", "json")
                        .json()
                        .at("/auth/credentials/token")
                        .asText())
                .isEqualTo("***");
    }

    @Test
    void movingAProviderToAnotherHostNeedsItsCredentialsInTheSameApply() throws IOException {
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: mover-creds}
                data: {token: %s}
                ---
                """.formatted(java.util.Base64.getEncoder().encodeToString(Canary.SECRET.getBytes()));
        String provider = """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: mover}
                spec:
                  type: sms
                  baseUrl: https://mover.example.com
                  auth: {type: bearer, secretRef: {name: mover-creds}}
                """;
        assertThat(hubctl.run(
                                "providers",
                                "apply",
                                "-f",
                                file("mover-all.yaml", secret + provider).toString())
                        .out())
                .isEqualTo("provider/mover created\n");

        for (String moved : List.of(
                "https://attacker.example.net",
                "https://mover.example.com.attacker.example.net",
                "https://mover.example.com:8443")) {
            Path specOnly = file("mover.yaml", provider.replace("https://mover.example.com", moved));
            CliRun run = hubctl.run("providers", "apply", "-f", specOnly.toString());
            assertThat(run.exitCode()).as(moved + ": " + run).isEqualTo(1);
            assertThat(run.err())
                    .isEqualTo(
                            "error: provider/mover (" + specOnly + "): needs credentials [token] to change its baseUrl"
                                    + " (credentials-follow-destination): add the Secret mover-creds to the input, or use --from-env PREFIX or --from-file KEY=PATH\n");
        }
        assertThat(hubctl.run("providers", "get", "mover", "-o", "json")
                        .json()
                        .at("/baseUrl")
                        .asText())
                .isEqualTo("https://mover.example.com");

        // Through the update command (a plain merge patch), the hub itself refuses it.
        CliRun update = hubctl.runWithStdin(
                "{\"baseUrl\": \"https://attacker.example.net\"}", "providers", "update", "mover", "-f", "-");
        assertThat(update.exitCode()).as(update.toString()).isNotZero();
        assertThat(update.err()).contains("baseUrl").contains("credentials-follow-destination");

        // With the Secret in the same apply, the move goes through and the credentials are sent along.
        Path withSecret = file(
                "mover-all.yaml", secret + provider.replace("https://mover.example.com", "https://mover2.example.com"));
        assertThat(hubctl.run("providers", "apply", "-f", withSecret.toString()).out())
                .isEqualTo("provider/mover configured\n");
        assertThat(hubctl.run("providers", "get", "mover", "-o", "json")
                        .json()
                        .at("/baseUrl")
                        .asText())
                .isEqualTo("https://mover2.example.com");
    }

    @Test
    void aNewProviderWithoutCredentialsSaysWhereTheyCanComeFrom() throws IOException {
        Path manifest = file("lonely.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: lonely}
                spec:
                  type: sms
                  baseUrl: https://lonely.example.com
                  auth: {type: basic, secretRef: {name: lonely-creds}}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo(
                        "error: provider/lonely (" + manifest + "): needs credentials [username, password] to be"
                                + " created: add the Secret lonely-creds to the input, or use --from-env PREFIX or --from-file KEY=PATH\n");

        CliRun half = hubctl.env("HALF_USERNAME", "hub")
                .run("providers", "apply", "-f", manifest.toString(), "--from-env", "HALF_");
        hubctl.env("HALF_USERNAME", null);
        assertThat(half.exitCode()).isEqualTo(1);
        assertThat(half.err())
                .contains("no value for password (looked in --from-file password=PATH, $HALF_PASSWORD,"
                        + " Secret lonely-creds (not in the input))");
    }

    @Test
    void anUnknownFieldIsRefusedWithItsPath() throws IOException {
        Path manifest = file("typo.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: typo}
                spec:
                  type: sms
                  baseUrl: https://typo.example.com
                  config: {timeoutMS: 100}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err())
                .isEqualTo("error: " + manifest + ": Provider typo has an unknown field spec.config.timeoutMS\n");
    }

    @Test
    void theHubsValidationRulesAreCheckedBeforeSendingAndNameTheManifestsPaths() throws IOException {
        Path manifest = file("slow.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: slow}
                spec:
                  type: sms
                  baseUrl: https://slow.example.com
                  config: {timeoutMs: 999999, retry: {maxAttempts: 0}}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err())
                .isEqualTo("error: provider/slow (" + manifest + "): 2 fields are invalid\n"
                        + "  spec.config.timeoutMs: must be an integer from 1 to 30000\n"
                        + "  spec.config.retry.maxAttempts: must be an integer from 1 to 10\n");
    }

    /**
     * Found by the input-file fuzzer: a tenant that is no header value failed inside the HTTP client
     * ("(-v shows details)"), after the providers before it in the file had been written.
     */
    @Test
    void aTenantTheCrdPatternRefusesIsInvalidBeforeAnythingIsSent() throws IOException {
        Path manifest = file("odd-tenant.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: odd-tenant, namespace: "n\u00e4me"}
                spec: {tenantId: "\u045bMV", type: custom, baseUrl: https://odd.example.com}
                ---
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: odd-namespace, namespace: "a b"}
                spec: {type: custom, baseUrl: https://odd.example.com}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        String rule =
                ": must be 1 to 63 letters, digits, '.', '_' and '-', starting and ending with a letter or digit\n";
        assertThat(run.err())
                .isEqualTo("error: provider/odd-tenant (" + manifest + "): 1 field is invalid\n  spec.tenantId" + rule
                        + "error: provider/odd-namespace (" + manifest + "): 1 field is invalid\n  metadata.namespace"
                        + rule
                        + "error: 2 of 2 providers cannot be applied (see above); nothing was changed\n");
    }

    @Test
    void theNamespaceIsTheTenantWhenTheSpecNamesNone() throws IOException {
        Path manifest = file("ns.yaml", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: in-acme, namespace: acme}
                spec: {type: custom, baseUrl: https://acme.example.com}
                """);

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString(), "--context", "acme", "-o", "yaml");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("  tenantId: acme\n").contains("  action: created\n");
        assertThat(hubctl.run("providers", "get", "in-acme", "--context", "acme")
                        .exitCode())
                .isZero();
        assertThat(hubctl.run("providers", "get", "in-acme").exitCode())
                .as("not in t1")
                .isEqualTo(2);
    }

    @Test
    void aFileWithoutProvidersIsAUsageError() throws IOException {
        Path manifest = file("empty.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {a: b}\n");

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: no integrationhub.io/v1 Provider document in " + manifest + "\n");
        CliRun noFile = hubctl.run(
                "providers", "apply", "-f", home.resolve("missing.yaml").toString());
        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.err()).isEqualTo("error: no such file: " + home.resolve("missing.yaml") + "\n");
    }

    /**
     * Found by the input-file fuzzer: a 4 MiB YAML file took seconds (the YAML reader is quadratic in
     * a long scalar) to be refused as "not valid YAML" (the reader's own 3 MiB limit).
     */
    @Test
    void yamlOverThreeMibIsRefusedUpFrontForItsSize() throws IOException {
        Path manifest = home.resolve("huge.yaml");
        Files.write(manifest, io.integrationhub.crds.fuzz.ManifestMutations.huge(4 * 1024 * 1024, false));

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo(
                        "error: " + manifest + " is larger than 3 MiB, the most hubctl reads as YAML (JSON: 16 MiB)\n");
    }

    @Test
    void brokenYamlIsReportedByPlaceWithoutQuotingIt() throws IOException {
        Path manifest = file(
                "broken.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  token: " + Canary.SECRET + "\n  : : [\n");

        CliRun run = hubctl.run("providers", "apply", "-f", manifest.toString(), "-v");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: " + manifest + " is not valid YAML at line ");
        assertThat(run.err()).doesNotContain(Canary.SECRET);
    }
}
