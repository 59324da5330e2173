package io.integrationhub.cli.dev;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.dlq.DlqFilterOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl dev token}: mints a token for any tenant and scopes against a standalone hub on
 * this machine, so that examples for another tenant (e.g. {@code crds/examples/bearer.yaml}, tenant
 * {@code acme}) can be run without an identity provider. The token goes to stdout and nowhere else.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print a development token for a standalone hub on this machine.",
        description = {
            "Signed with the development secret that a standalone hub (scripts/run) keeps in its state"
                    + " directory: --state-dir, else $INTEGRATION_STATE_DIR, else .hub/standalone of this checkout.",
            "Accepted only by that hub (or any hub given the same INTEGRATION_JWT_SECRET)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl dev token --tenant acme --scope \"providers:read providers:write\" > ~/.hub-token-acme",
            "  HUBCTL_TOKEN=\"$(hubctl dev token --tenant acme)\" HUBCTL_TENANT=acme hubctl providers list"
        })
public final class DevTokenCommand implements Callable<Integer> {
    /** The scopes the hub knows (the data plane's {@code Scope}; DevTokenCommandTest holds the two together). */
    static final List<String> SCOPES = List.of("call", "providers:read", "providers:write", "dlq:read", "dlq:write");
    /** A tenant id as the hub accepts it in a token or a header. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            defaultValue = "default",
            description = "The token's tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(
            names = "--scope",
            paramLabel = "SCOPES",
            split = "[\\s,]+",
            description = "Scopes, space- or comma-separated, or the option repeated: call, providers:read,"
                    + " providers:write, dlq:read, dlq:write (default: all).")
    List<String> scopes = new ArrayList<>();

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "24h",
            description = "How long the token is valid: 30m, 12h, 7d (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(
            names = "--subject",
            paramLabel = "NAME",
            defaultValue = "developer",
            description = "The token's subject (default: ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The standalone hub's state directory.")
    Path stateDir;

    private final Session session;
    private final Clock clock;

    public DevTokenCommand(Session session) {
        this(session, Clock.systemUTC());
    }

    DevTokenCommand(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (!TENANT.matcher(tenant).matches()) {
            throw HubctlException.usage(
                    "--tenant: a tenant id is 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (!scope.isBlank() && !SCOPES.contains(scope)) {
                throw HubctlException.usage(
                        "--scope: unknown scope '" + scope + "' (known: " + String.join(", ", SCOPES) + ")");
            }
            if (!scope.isBlank()) {
                chosen.add(scope);
            }
        }
        Duration lifetime = DlqFilterOptions.duration(ttl);
        if (lifetime == null || lifetime.isZero()) {
            throw HubctlException.usage("--ttl takes a duration such as 30m, 12h or 7d");
        }
        String secret = DevelopmentSecret.read(stateDirectory());
        String token = DevelopmentToken.sign(
                secret, subject, tenant, chosen.isEmpty() ? SCOPES : List.copyOf(chosen), clock.instant(), lifetime);
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    private Path stateDirectory() {
        if (stateDir != null) {
            return stateDir;
        }
        if (session.env("INTEGRATION_STATE_DIR") != null) {
            return Path.of(session.env("INTEGRATION_STATE_DIR"));
        }
        // scripts/hubctl exports HUB_STATE_DIR (this checkout's .hub), so the default holds from any directory.
        return session.env("HUB_STATE_DIR") != null
                ? Path.of(session.env("HUB_STATE_DIR"), "standalone")
                : Path.of(".hub", "standalone");
    }
}
