package io.integrationhub.cli;

import io.integrationhub.cli.call.CallProviderCommand;
import io.integrationhub.cli.completion.GenerateCompletionCommand;
import io.integrationhub.cli.config.ConfigCommand;
import io.integrationhub.cli.dev.DevCommand;
import io.integrationhub.cli.dlq.DlqCommand;
import io.integrationhub.cli.providers.ProvidersCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code hubctl}: only declares its subcommands, the version and the exit code table (what
 * {@link io.integrationhub.cli.error.ExitCode} decides).
 */
@Command(
        name = "hubctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "hubctl manages the Integration Hub: its providers, calls through it, its dead letters, its contexts.",
        description = "The hub, tenant and token come from the current context ('hubctl config'), overridden by"
                + " $HUBCTL_ENDPOINT, $HUBCTL_TENANT, $HUBCTL_TOKEN, $HUBCTL_CONTEXT or --context.",
        subcommands = {
            ProvidersCommand.class,
            CallProviderCommand.class,
            DlqCommand.class,
            ConfigCommand.class,
            DevCommand.class,
            GenerateCompletionCommand.class,
            HelpCommand.class
        },
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:usage: bad flag or argument, unreadable file, incomplete config",
            "2:not found (provider, dead letter, context)",
            "3:conflict or validation: invalid document, name taken, changed meanwhile, managed by the operator",
            "4:auth: no token, invalid or expired token, missing scope, other tenant",
            "5:hub or upstream unavailable: unreachable, timeout, 5xx, rate limited, circuit open"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # with the hub of README \"Try it\" running, HUB_URL exported and its token in ~/.hub-token:",
            "  hubctl config set-context dev --endpoint \"$HUB_URL\" --token-file ~/.hub-token",
            "  hubctl providers apply -f crds/examples/api-key-header.yaml",
            "  hubctl providers list",
            "  hubctl call echo POST /v1/charges -d '{\"amount\": 100}' --idempotency-key order-43",
            "  hubctl dlq retry-all --provider echo",
            "  hubctl dev token --tenant acme --scope \"providers:read providers:write\"",
            "  source <(hubctl completion bash)"
        })
public final class HubctlCommand {}
