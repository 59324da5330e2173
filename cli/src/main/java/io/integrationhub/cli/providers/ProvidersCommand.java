package io.integrationhub.cli.providers;

import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.apply.ApplyProvidersCommand;
import picocli.CommandLine.Command;

/** {@code hubctl providers}: only declares its subcommands. */
@Command(
        name = "providers",
        aliases = "provider",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Manage the tenant's providers (the external APIs the hub calls).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            ListProvidersCommand.class,
            GetProviderCommand.class,
            CreateProviderCommand.class,
            UpdateProviderCommand.class,
            DeleteProviderCommand.class,
            GetProviderHealthCommand.class,
            ApplyProvidersCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl providers list -o json",
            "  hubctl providers apply -f crds/examples/api-key-header.yaml",
            "  hubctl providers get stripe -o yaml"
        })
public final class ProvidersCommand {}
