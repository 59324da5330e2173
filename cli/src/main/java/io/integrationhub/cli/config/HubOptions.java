package io.integrationhub.cli.config;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.http.HubClient;
import picocli.CommandLine.Option;

/** The options of every command that talks to the hub: which context, and how much to say on failure. */
public final class HubOptions {
    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Context of the config file to use (default: $HUBCTL_CONTEXT, else the current context).")
    String context;

    @Option(
            names = {"-v", "--verbose"},
            description =
                    "On failure, show the hub's whole problem document and stack traces (never tokens or credentials).")
    boolean verbose;

    public Target target(Session session) {
        return new TargetResolver(session).resolve(context);
    }

    public boolean verbose() {
        return verbose;
    }

    public HubClient client(Session session) {
        return new HubClient(target(session));
    }
}
