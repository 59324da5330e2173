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

/** {@code hubctl config delete-context NAME}: removes a context (and its stored token, if any). */
@Command(
        name = "delete-context",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Remove a context from the config file.",
        description = "A token stored with --token-stdin goes with it.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl config delete-context old"})
public final class DeleteContextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
    String name;

    private final Session session;

    public DeleteContextCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ConfigStore store = session.configStore();
        HubctlConfig config = store.load();
        if (config.context(name).isEmpty()) {
            throw HubctlException.notFound(
                    "no context \"" + name + "\" in " + store.file() + "; 'hubctl config view' lists them");
        }
        store.save(config.withoutContext(name));
        spec.commandLine().getOut().println("Context \"" + name + "\" deleted.");
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
