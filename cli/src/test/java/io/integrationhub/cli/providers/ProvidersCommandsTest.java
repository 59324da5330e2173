package io.integrationhub.cli.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.CliHub;
import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hubctl providers list|get|create|update|delete|health against a real data plane, table and json. */
@Tag("hub")
class ProvidersCommandsTest {
    private static CliHub hub;

    @TempDir
    static Path home;

    private static CliRunner hubctl;

    @BeforeAll
    static void startHub() throws IOException {
        hub = CliHub.start();
        Path tokenFile = home.resolve("token");
        Files.writeString(tokenFile, hub.adminToken("t1") + "\n");
        hubctl = new CliRunner(home.resolve("config"));
        CliRun set = hubctl.run(
                "config",
                "set-context",
                "dev",
                "--endpoint",
                hub.endpoint(),
                "--tenant",
                "t1",
                "--token-file",
                tokenFile.toString());
        assertThat(set.exitCode()).as(set.toString()).isZero();
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    private Path file(String name, String content) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private String createBearer(String name) throws IOException {
        Path doc = file(name + ".json", """
                {"name": "%s", "type": "payment", "baseUrl": "https://api.%s.example.com",
                 "auth": {"type": "bearer", "credentials": {"token": "%s"}},
                 "config": {"timeoutMs": 5000}}""".formatted(name, name, Canary.SECRET));
        CliRun run = hubctl.run("providers", "create", "-f", doc.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.out();
    }

    @Test
    void createSaysCreatedAndListShowsAnAlignedBorderlessTable() throws IOException {
        assertThat(createBearer("stripe")).isEqualTo("provider/stripe created\n");
        createBearer("adyen-eu");

        CliRun list = hubctl.run("providers", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.err()).isEmpty();
        List<String> lines = list.outLines();
        assertThat(lines.get(0))
                .startsWith("NAME")
                .contains("ID", "TYPE", "AUTH", "STATUS", "MANAGED BY", "VERSION", "BASE URL");
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("stripe ")
                        .contains("payment", "bearer", "active", "api", "https://api.stripe.example.com"));
        // Aligned: every column starts at the same offset on every line, and no line ends in blanks.
        int baseUrlColumn = lines.get(0).indexOf("BASE URL");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).doesNotEndWith(" ");
            assertThat(line.substring(baseUrlColumn)).doesNotStartWith(" ");
            assertThat(line.charAt(baseUrlColumn - 1)).isEqualTo(' ');
        });
        assertThat(lines).noneMatch(line -> line.contains("|") || line.contains("+-"));
    }

    @Test
    void listAsJsonIsTheApiShapeWithCredentialsMasked() throws IOException {
        createBearer("listed");

        CliRun list = hubctl.run("providers", "list", "-o", "json");

        assertThat(list.exitCode()).isZero();
        JsonNode listed = null;
        for (JsonNode item : list.json().get("items")) {
            if (item.get("name").asText().equals("listed")) {
                listed = item;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.at("/auth/credentials/token").asText()).isEqualTo("***");
        assertThat(listed.at("/config/timeoutMs").asInt()).isEqualTo(5000);
        assertThat(list.json().has("nextCursor")).isFalse();
        assertThat(list.out()).startsWith("{\n  \"items\": [\n    {\n      \"id\": ");
    }

    @Test
    void listWithNoHeadersPrintsOnlyRowsAndAnEmptyTenantSaysSoOnStderr() throws IOException {
        createBearer("headless");
        CliRun rows = hubctl.run("providers", "list", "--no-headers");
        assertThat(rows.outLines()).noneMatch(line -> line.startsWith("NAME"));
        assertThat(rows.outLines()).anyMatch(line -> line.startsWith("headless "));

        CliRun empty = hubctl.env("HUBCTL_TOKEN", hub.adminToken("empty-tenant"))
                .env("HUBCTL_TENANT", "empty-tenant")
                .run("providers", "list");
        hubctl.env("HUBCTL_TOKEN", null).env("HUBCTL_TENANT", null);
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).isEqualTo("No providers found.\n");

        CliRun emptyJson = hubctl.env("HUBCTL_TOKEN", hub.adminToken("empty-tenant"))
                .env("HUBCTL_TENANT", "empty-tenant")
                .run("providers", "list", "-o", "json");
        hubctl.env("HUBCTL_TOKEN", null).env("HUBCTL_TENANT", null);
        assertThat(emptyJson.out()).isEqualTo("{\n  \"items\": []\n}\n");
    }

    @Test
    void listFollowsTheCursorAcrossPagesAndLimitStopsEarly() throws IOException {
        String token = hub.adminToken("many");
        CliRunner many = new CliRunner(home.resolve("many"))
                .env("HUBCTL_ENDPOINT", hub.endpoint())
                .env("HUBCTL_TOKEN", token);
        for (int i = 0; i < 205; i++) {
            CliRun created = many.runWithStdin(
                    "{\"name\": \"p" + i + "\", \"type\": \"custom\", \"baseUrl\": \"https://p.example.com\"}",
                    "providers",
                    "create",
                    "-f",
                    "-");
            assertThat(created.exitCode()).as(created.toString()).isZero();
        }

        assertThat(many.run("providers", "list", "-o", "json").json().get("items"))
                .hasSize(205);
        assertThat(many.run("providers", "list", "--no-headers").outLines()).hasSize(205);
        assertThat(many.run("providers", "list", "--limit", "3", "-o", "json")
                        .json()
                        .get("items"))
                .hasSize(3);
    }

    @Test
    void getShowsOneProviderAsTableJsonAndYaml() throws IOException {
        createBearer("mailer");

        CliRun table = hubctl.run("providers", "get", "mailer");
        assertThat(table.exitCode()).isZero();
        assertThat(table.outLines()).hasSize(2);
        assertThat(table.outLines().get(1)).startsWith("mailer ");

        CliRun json = hubctl.run("providers", "get", "mailer", "-o", "json");
        assertThat(json.json().get("name").asText()).isEqualTo("mailer");
        assertThat(json.json().get("tenantId").asText()).isEqualTo("t1");
        assertThat(json.json().at("/auth/credentials/token").asText()).isEqualTo("***");

        CliRun byId = hubctl.run("providers", "get", json.json().get("id").asText(), "-o", "yaml");
        assertThat(byId.out())
                .startsWith("id: " + json.json().get("id").asText() + "\n")
                .contains("\nname: mailer\n")
                .contains("  credentials:\n    token: '***'\n")
                .doesNotStartWith("---");
    }

    @Test
    void getShowsTheFailoverRouteAndDeletingATargetIsRefused() throws IOException {
        createBearer("psp-backup");
        Path doc = file("psp-main.json", """
                {"name": "psp-main", "type": "payment", "baseUrl": "https://api.psp-main.example.com",
                 "config": {"failover": {"to": ["psp-backup"], "onStatus": [503]}}}""");
        CliRun created = hubctl.run("providers", "create", "-f", doc.toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();

        CliRun table = hubctl.run("providers", "get", "psp-main");
        assertThat(table.outLines().get(0)).endsWith("ROUTE");
        assertThat(table.outLines().get(1)).startsWith("psp-main ").endsWith("psp-main>psp-backup on 503");
        assertThat(hubctl.run("providers", "get", "psp-backup").outLines().get(1))
                .endsWith("<none>");
        assertThat(hubctl.run("providers", "get", "psp-main", "-o", "json")
                        .json()
                        .at("/config/failover/to/0")
                        .asText())
                .isEqualTo("psp-backup");

        CliRun delete = hubctl.run("providers", "delete", "psp-backup");
        assertThat(delete.exitCode()).as(delete.toString()).isNotZero();
        assertThat(delete.err()).contains("psp-main");
    }

    @Test
    void anUnknownProviderExits2WithOneLineAndAHint() {
        CliRun run = hubctl.run("providers", "get", "nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("error: ")
                .contains("(provider-not-found, HTTP 404)")
                .contains("hint: 'hubctl providers list'");
        assertThat(run.err().lines()).hasSizeLessThanOrEqualTo(2);
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void verboseAddsTheProblemDocument() {
        CliRun run = hubctl.run("providers", "get", "nope", "-v");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("\"type\" : \"provider-not-found\"").contains("\"status\" : 404");
    }

    @Test
    void anInvalidDocumentExits3NamingEveryField() throws IOException {
        Path doc = file("bad.yaml", """
                name: Bad_Name
                type: payment
                baseUrl: ftp://example.com
                config:
                  timeoutMs: 0
                """);

        CliRun run = hubctl.run("providers", "create", "-f", doc.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err())
                .startsWith("error: 3 fields are invalid (validation, HTTP 422)\n")
                .contains("\n  name: ")
                .contains("\n  baseUrl: ")
                .contains("\n  config.timeoutMs: ");
    }

    @Test
    void createAsJsonPrintsTheCreatedDocument() throws IOException {
        Path doc = file("json-created.yaml", """
                name: json-created
                type: email
                baseUrl: https://mail.example.com
                auth: {type: basic, credentials: {username: hub, password: %s}}
                """.formatted(Canary.SECRET));

        CliRun run = hubctl.run("providers", "create", "-f", doc.toString(), "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.json().get("name").asText()).isEqualTo("json-created");
        assertThat(run.json().get("version").asInt()).isEqualTo(1);
        assertThat(run.json().at("/auth/credentials/password").asText()).isEqualTo("***");
    }

    @Test
    void aTakenNameExits3() throws IOException {
        createBearer("twice");
        Path doc = file(
                "twice-again.json", "{\"name\": \"twice\", \"type\": \"sms\", \"baseUrl\": \"https://x.example.com\"}");

        CliRun run = hubctl.run("providers", "create", "-f", doc.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("provider-name-taken");
    }

    @Test
    void aKubernetesManifestIsPointedToApply() throws IOException {
        CliRun run = hubctl.run(
                "providers",
                "create",
                "-f",
                Path.of("../crds/examples/none.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("use 'hubctl providers apply -f ../crds/examples/none.yaml'");
    }

    @Test
    void updateAppliesAMergePatchGuardedByTheVersionJustRead() throws IOException {
        createBearer("patchme");
        Path patch = file("patch.yaml", "status: disabled\nconfig:\n  timeoutMs: 7000\n");

        CliRun table = hubctl.run("providers", "update", "patchme", "-f", patch.toString());
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).isEqualTo("provider/patchme updated\n");

        CliRun json = hubctl.runWithStdin(
                "{\"config\": {\"timeoutMs\": 6000}}", "providers", "update", "patchme", "-f", "-", "-o", "json");
        assertThat(json.json().get("version").asInt()).isEqualTo(3);
        assertThat(json.json().get("status").asText()).isEqualTo("disabled");
        assertThat(json.json().at("/config/timeoutMs").asInt()).isEqualTo(6000);
        assertThat(json.json().at("/auth/credentials/token").asText()).isEqualTo("***");

        CliRun forced =
                hubctl.runWithStdin("{\"status\": \"active\"}", "providers", "update", "patchme", "-f", "-", "--force");
        assertThat(forced.exitCode()).isZero();
    }

    @Test
    void anOperatorManagedProviderIsReadOnlyWithAPointerToKubectl() throws IOException {
        hub.createOperatorManaged(
                "t1", "{\"name\": \"from-cr\", \"type\": \"sms\", \"baseUrl\": \"https://sms.example.com\"}");

        CliRun get = hubctl.run("providers", "get", "from-cr", "-o", "json");
        assertThat(get.json().get("managedBy").asText()).isEqualTo("operator");

        CliRun update = hubctl.runWithStdin("{\"status\": \"disabled\"}", "providers", "update", "from-cr", "-f", "-");
        assertThat(update.exitCode()).isEqualTo(3);
        assertThat(update.err()).contains("managed-by-operator").contains("kubectl edit provider from-cr");

        CliRun delete = hubctl.run("providers", "delete", "from-cr");
        assertThat(delete.exitCode()).isEqualTo(3);
    }

    @Test
    void deleteRemovesTheProviderInTableAndJsonForm() throws IOException {
        createBearer("gone");
        createBearer("gone-too");

        CliRun table = hubctl.run("providers", "delete", "gone");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).isEqualTo("provider/gone deleted\n");
        assertThat(hubctl.run("providers", "get", "gone").exitCode()).isEqualTo(2);

        CliRun json = hubctl.run("providers", "delete", "gone-too", "-o", "json", "--force");
        assertThat(json.exitCode()).isZero();
        assertThat(json.json().get("name").asText()).isEqualTo("gone-too");
        assertThat(json.json().get("deleted").asBoolean()).isTrue();

        assertThat(hubctl.run("providers", "delete", "gone").exitCode()).isEqualTo(2);
    }

    @Test
    void healthIsReportedOrSaidToBeNotAvailableYetWithExit5() throws IOException {
        createBearer("healthy");
        int served = hub.status("/api/v1/integrations/providers/healthy/health", hub.adminToken("t1"));

        CliRun run = hubctl.run("providers", "health", "healthy");
        CliRun json = hubctl.run("providers", "health", "healthy", "-o", "json");

        if (served == 404) {
            assertThat(run.exitCode()).isEqualTo(5);
            assertThat(run.err())
                    .isEqualTo(
                            "error: provider health is not available on this hub yet (it does not serve GET"
                                    + " /api/v1/integrations/providers/{id}/health); 'hubctl providers get healthy' shows the provider\n");
            assertThat(json.exitCode()).isEqualTo(5);
        } else {
            assertThat(run.exitCode()).isZero();
            assertThat(run.outLines().get(0)).startsWith("FIELD").contains("VALUE");
            // Who used the limit, per class and module, and how many wait: rows of the table too.
            assertThat(run.outLines())
                    .anyMatch(line -> line.matches("usage\\.scope\\s+instance\\s*"))
                    .anyMatch(line -> line.matches("usage\\.byClass\\.batch\\s+0\\s*"))
                    .anyMatch(line -> line.matches("usage\\.waiting\\s+0\\s*"));
            assertThat(json.json().isObject()).isTrue();
            assertThat(json.json().path("usage").path("instances").asInt()).isEqualTo(1);
        }
        assertThat(hubctl.run("providers", "health", "not-there").exitCode()).isEqualTo(2);
    }

    @Test
    void anInvalidTokenExits4WithAHint() {
        CliRun run = hubctl.env("HUBCTL_TOKEN", "not-a-jwt").run("providers", "list");
        hubctl.env("HUBCTL_TOKEN", null);

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("(unauthorized, HTTP 401)").contains("hint: check the context's token");
        assertThat(run.err()).doesNotContain("not-a-jwt");
    }

    @Test
    void anotherTenantOrAMissingScopeExits4() {
        CliRun mismatch = hubctl.env("HUBCTL_TENANT", "t2").run("providers", "list");
        CliRun scope = hubctl.env("HUBCTL_TENANT", null)
                .env("HUBCTL_TOKEN", hub.token("t1", Scope.CALL))
                .run("providers", "list");
        hubctl.env("HUBCTL_TOKEN", null);

        assertThat(mismatch.exitCode()).isEqualTo(4);
        assertThat(mismatch.err()).contains("tenant-mismatch");
        assertThat(scope.exitCode()).isEqualTo(4);
        assertThat(scope.err()).contains("(forbidden, HTTP 403)").contains("providers:read");
    }

    @Test
    void anUnreachableHubExits5NamingTheEndpoint() {
        CliRun run = hubctl.env("HUBCTL_ENDPOINT", "http://127.0.0.1:1").run("providers", "list");
        hubctl.env("HUBCTL_ENDPOINT", null);

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err())
                .isEqualTo("error: cannot reach the hub at http://127.0.0.1:1: connection refused"
                        + " (check the endpoint of context 'dev': hubctl config view)\n");
    }
}
