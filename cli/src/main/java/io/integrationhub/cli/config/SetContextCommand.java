package io.integrationhub.cli.config;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.input.InputFiles;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl config set-context NAME}: creates a context or changes the fields given. The token
 * is never a flag value (shell history): it is read from a file or a variable at each run, or once
 * from standard input into the private config file. The first context becomes the current one.
 */
@Command(
        name = "set-context",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Create a context, or change the given fields of an existing one.",
        description = {
            "The token is never a flag value: --token-file and --token-env are read at each run;"
                    + " --token-stdin stores it in the config file (mode 0600).",
            "The first context created becomes the current one."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl config set-context dev --endpoint http://127.0.0.1:8080 --token-file ~/.hub/token",
            "  hubctl config set-context prod --endpoint https://hub.example.com --token-env HUB_PROD_TOKEN",
            "  vault read -field=token secret/hub | hubctl config set-context ci --token-stdin"
        })
public final class SetContextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
    String name;

    @Option(names = "--endpoint", paramLabel = "URL", description = "The hub's base URL, e.g. http://127.0.0.1:8080.")
    String endpoint;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            description = "Tenant sent as X-Tenant-ID (default: the token's).")
    String tenant;

    @ArgGroup(exclusive = true)
    TokenSource token;

    static final class TokenSource {
        @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file at each run.")
        Path file;

        @Option(
                names = "--token-env",
                paramLabel = "VAR",
                description = "Read the token from this environment variable at each run.")
        String env;

        @Option(
                names = "--token-stdin",
                description = "Read the token from standard input now and keep it in the config file.")
        boolean stdin;
    }

    private final Session session;

    public SetContextCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,62}")) {
            throw HubctlException.usage("a context name is 1-63 letters, digits, '.', '_', '@' or '-'");
        }
        ConfigStore store = session.configStore();
        HubctlConfig config = store.load();
        boolean exists = config.contexts().containsKey(name);
        ContextEntry entry = config.context(name).orElse(new ContextEntry(null, null, null, null, null));
        if (endpoint != null) {
            entry = entry.withEndpoint(TargetResolver.endpoint(endpoint).toString());
        }
        if (tenant != null) {
            entry = entry.withTenant(tenant.isBlank() ? null : tenant.trim());
        }
        if (token != null) {
            entry = tokenSource(entry);
        }
        HubctlConfig updated = config.withContext(name, entry);
        boolean becomesCurrent =
                config.currentContext() == null || !config.contexts().containsKey(config.currentContext());
        if (becomesCurrent) {
            updated = updated.withCurrentContext(name);
        }
        store.save(updated);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Context \"" + name + "\" " + (exists ? "modified" : "created")
                + (becomesCurrent ? " (current)." : "."));
        out.flush();
        return ExitCode.OK;
    }

    private ContextEntry tokenSource(ContextEntry entry) {
        if (token.file != null) {
            return entry.withTokenSource(token.file.toAbsolutePath().normalize().toString(), null, null);
        }
        if (token.env != null) {
            if (!token.env.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw HubctlException.usage("--token-env takes the NAME of an environment variable, e.g. HUB_TOKEN");
            }
            return entry.withTokenSource(null, token.env, null);
        }
        String value = new String(new InputFiles(session).stdin().bytes(), StandardCharsets.UTF_8).trim();
        if (value.isEmpty() || value.contains("\n")) {
            throw HubctlException.usage("--token-stdin reads one token (one line) from standard input");
        }
        return entry.withTokenSource(null, null, value);
    }
}
