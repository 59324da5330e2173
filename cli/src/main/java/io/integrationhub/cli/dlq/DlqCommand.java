package io.integrationhub.cli.dlq;

import io.integrationhub.cli.VersionProvider;
import picocli.CommandLine.Command;

/** {@code hubctl dlq}: only declares its subcommands. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Inspect, retry and delete the tenant's dead letters (calls that failed for good).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            ListDeadLettersCommand.class,
            GetDeadLetterCommand.class,
            RetryDeadLetterCommand.class,
            RetryAllDeadLettersCommand.class,
            DeleteDeadLetterCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl dlq list --provider stripe --status pending,failed --since 24h",
            "  hubctl dlq retry-all --provider stripe",
            "  hubctl dlq get 01j9pintq3v2d6s8y4x0a1b2c3 -o yaml"
        })
public final class DlqCommand {}
