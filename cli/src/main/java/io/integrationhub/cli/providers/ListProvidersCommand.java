package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hubctl providers list}: every provider of the tenant, all pages. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "List the tenant's providers.",
        description = "Credentials are never shown, only whether they are set. With -o json or -o yaml the output"
                + " is {\"items\": [...]}, as the REST API answers; all pages are fetched.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl providers list",
            "  hubctl providers list -o json | jq -r '.items[].name'",
            "  hubctl providers list --no-headers --limit 10"
        })
public final class ListProvidersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Option(names = "--limit", paramLabel = "N", description = "Show at most N providers (default: all).")
    Integer limit;

    private final Session session;

    public ListProvidersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw HubctlException.usage("--limit must be at least 1");
        }
        List<JsonNode> providers = new ProviderApi(hub.client(session)).list(limit);
        if (output.isTable()) {
            if (providers.isEmpty()) {
                spec.commandLine().getErr().println("No providers found.");
            } else {
                output.table(spec.commandLine().getOut(), ProviderTable.of(providers));
            }
        } else {
            ObjectNode list = Json.object();
            list.putArray("items").addAll(providers);
            output.document(spec.commandLine().getOut(), list);
        }
        return ExitCode.OK;
    }
}
