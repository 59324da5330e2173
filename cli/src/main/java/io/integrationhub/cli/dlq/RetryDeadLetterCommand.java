package io.integrationhub.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hubctl dlq retry ID}: queues one replay (same idempotency key, same pipeline). */
@Command(
        name = "retry",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Queue a dead letter for another attempt.",
        description = "The hub replays the stored request through the same pipeline with the same idempotency key;"
                + " 'hubctl dlq get ID' shows how it ended.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl dlq retry 01j9pintq3v2d6s8y4x0a1b2c3"})
public final class RetryDeadLetterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id.")
    String id;

    private final Session session;

    public RetryDeadLetterCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        JsonNode entry = new DlqApi(hub.client(session)).retry(id);
        if (output.isTable()) {
            spec.commandLine().getOut().println("deadletter/" + id + " queued for retry");
            spec.commandLine().getOut().flush();
        } else {
            output.document(spec.commandLine().getOut(), entry);
        }
        return ExitCode.OK;
    }
}
