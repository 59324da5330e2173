package io.integrationhub.cli.dev;

import io.integrationhub.cli.VersionProvider;
import picocli.CommandLine.Command;

/** {@code hubctl dev}: only declares its subcommands. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Development helpers for a standalone hub on this machine (scripts/run).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {DevTokenCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl dev token --tenant acme --scope \"providers:read providers:write\""})
public final class DevCommand {}
