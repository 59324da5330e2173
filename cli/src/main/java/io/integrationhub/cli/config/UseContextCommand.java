package io.integrationhub.cli.config;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hubctl config use-context NAME}: makes an existing context the current one. */
@Command(
        name = "use-context",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Make a context the current one.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl config use-context prod"})
public final class UseContextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
    String name;

    private final Session session;

    public UseContextCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ConfigStore store = session.configStore();
        HubctlConfig config = store.load();
        if (config.context(name).isEmpty()) {
            throw HubctlException.notFound("no context \"" + name + "\" in " + store.file()
                    + "; 'hubctl config view' lists them, 'hubctl config set-context " + name
                    + " --endpoint URL' creates it");
        }
        store.save(config.withCurrentContext(name));
        spec.commandLine().getOut().println("Switched to context \"" + name + "\".");
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
