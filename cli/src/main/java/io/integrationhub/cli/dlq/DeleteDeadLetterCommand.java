package io.integrationhub.cli.dlq;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hubctl dlq delete ID}: drops a dead letter that will not be retried. */
@Command(
        name = "delete",
        aliases = "rm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Delete a dead letter.",
        description = "An entry being retried cannot be deleted (exit code 3).",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl dlq delete 01j9pintq3v2d6s8y4x0a1b2c3"})
public final class DeleteDeadLetterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id.")
    String id;

    private final Session session;

    public DeleteDeadLetterCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        new DlqApi(hub.client(session)).delete(id);
        if (output.isTable()) {
            spec.commandLine().getOut().println("deadletter/" + id + " deleted");
            spec.commandLine().getOut().flush();
        } else {
            output.document(
                    spec.commandLine().getOut(), Json.object().put("id", id).put("deleted", true));
        }
        return ExitCode.OK;
    }
}
