package io.integrationhub.cli.config;

import io.integrationhub.cli.VersionProvider;
import picocli.CommandLine.Command;

/** {@code hubctl config}: only declares its subcommands. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Manage contexts: hub endpoint, tenant and where the token comes from.",
        description = {
            "The config file is $HUBCTL_CONFIG, else $XDG_CONFIG_HOME/hubctl/config.yaml, else"
                    + " ~/.config/hubctl/config.yaml (mode 0600).",
            "$HUBCTL_ENDPOINT, $HUBCTL_TENANT, $HUBCTL_TOKEN and $HUBCTL_CONTEXT override it; --context picks a"
                    + " context for one command."
        },
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            SetContextCommand.class,
            UseContextCommand.class,
            ViewConfigCommand.class,
            ShowCurrentContextCommand.class,
            DeleteContextCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl config set-context dev --endpoint http://127.0.0.1:8080 --tenant acme --token-env HUB_TOKEN",
            "  hubctl config use-context dev",
            "  hubctl config view"
        })
public final class ConfigCommand {}
