package io.integrationhub.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenVerifier;
import io.integrationhub.dataplane.auth.TokenVerifier.InvalidTokenException;
import io.integrationhub.dataplane.standalone.DevelopmentSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hubctl dev token} against the state directory a standalone hub writes (the data plane's own
 * {@link DevelopmentSecrets}), checked by the data plane's own {@link TokenVerifier}: the contract
 * between the two is tested here, not restated.
 */
class DevTokenCommandTest {
    @TempDir
    Path home;

    @TempDir
    Path stateDir;

    private String jwtSecret;

    @BeforeEach
    void standaloneHubState() {
        jwtSecret = DevelopmentSecrets.loadOrGenerate(stateDir).jwtSecret();
    }

    private CliRunner hubctl() {
        return new CliRunner(home).env("INTEGRATION_STATE_DIR", stateDir.toString());
    }

    @Test
    void mintsATokenTheStandaloneHubAcceptsForTheTenantAndScopesAsked() {
        CliRun run = hubctl().run("dev", "token", "--tenant", "acme", "--scope", "providers:read providers:write");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).hasSize(1);
        Caller caller = new TokenVerifier(jwtSecret, null).verify(run.out().strip());
        assertThat(caller.tenantId()).isEqualTo("acme");
        assertThat(caller.scopes()).containsExactlyInAnyOrder("providers:read", "providers:write");
        assertThat(run.out()).doesNotContain(jwtSecret);
    }

    @Test
    void withoutOptionsTheTokenIsForTenantDefaultWithEveryScopeTheHubKnows() {
        CliRun run = hubctl().run("dev", "token");

        Caller caller = new TokenVerifier(jwtSecret, null).verify(run.out().strip());
        assertThat(caller.tenantId()).isEqualTo("default");
        assertThat(caller.scopes())
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Scope.values()).map(Scope::claim).toList());
        assertThat(DevTokenCommand.SCOPES)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Scope.values()).map(Scope::claim).toList());
    }

    @Test
    void scopesMayBeCommaSeparatedOrRepeated() {
        CliRun run = hubctl().run("dev", "token", "--scope", "call,dlq:read", "--scope", "dlq:write");

        assertThat(new TokenVerifier(jwtSecret, null).verify(run.out().strip()).scopes())
                .containsExactlyInAnyOrder("call", "dlq:read", "dlq:write");
    }

    @Test
    void theTokenExpiresAfterItsTtl() {
        Instant now = Instant.parse("2026-01-31T12:00:00Z");
        String token =
                DevelopmentToken.sign(jwtSecret, "developer", "acme", List.of("call"), now, Duration.ofMinutes(30));

        assertThatThrownBy(() -> new TokenVerifier(jwtSecret, null).verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void anotherHubsSecretDoesNotAcceptTheToken() {
        CliRun run = hubctl().run("dev", "token", "--tenant", "acme");

        assertThatThrownBy(() -> new TokenVerifier("another-secret-of-at-least-thirty-two-bytes", null)
                        .verify(run.out().strip()))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void anUnknownScopeOrABadTenantOrTtlIsAUsageError() {
        CliRun scope = hubctl().run("dev", "token", "--scope", "providers:admin");
        CliRun tenant = hubctl().run("dev", "token", "--tenant", "-acme");
        CliRun ttl = hubctl().run("dev", "token", "--ttl", "soon");

        assertThat(scope.exitCode()).isEqualTo(1);
        assertThat(scope.err())
                .startsWith("error: --scope: unknown scope 'providers:admin' (known: call, providers:read");
        assertThat(tenant.exitCode()).isEqualTo(1);
        assertThat(tenant.err()).startsWith("error: --tenant:");
        assertThat(ttl.exitCode()).isEqualTo(1);
        assertThat(ttl.err()).startsWith("error: --ttl takes a duration");
        assertThat(List.of(scope, tenant, ttl))
                .allSatisfy(run -> assertThat(run.out()).isEmpty());
    }

    @Test
    void withoutAStandaloneHubsStateItSaysWhatToStartAndPrintsNoToken() {
        CliRun run = new CliRunner(home)
                .env("INTEGRATION_STATE_DIR", home.resolve("nothing-here").toString())
                .run("dev", "token");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("no development secret in")
                .contains("start a standalone hub first (scripts/run)");
    }
}
