package io.integrationhub.cli.config;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hubctl config current-context}: the context in force ($HUBCTL_CONTEXT wins over the file). */
@Command(
        name = "current-context",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print the name of the context in force.",
        description = "$HUBCTL_CONTEXT, else the config file's current context.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl config current-context"})
public final class ShowCurrentContextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Session session;

    public ShowCurrentContextCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        String name = new TargetResolver(session)
                .contextName(null, session.configStore().load());
        if (name == null) {
            throw HubctlException.usage("no current context: run 'hubctl config use-context NAME'"
                    + " ('hubctl config view' lists the contexts)");
        }
        spec.commandLine().getOut().println(name);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
