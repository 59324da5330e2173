package io.integrationhub.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hubctl dlq list}: the tenant's dead letters, filtered, all pages. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "List dead letters.",
        description = "Newest state of every call parked in the dead letter queue, filtered by provider, status and"
                + " creation time. With -o json or -o yaml the output is {\"items\": [...]}, as the REST API answers.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl dlq list",
            "  hubctl dlq list --provider stripe --status pending,failed --since 24h",
            "  hubctl dlq list -o json | jq -r '.items[].id'"
        })
public final class ListDeadLettersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Mixin
    DlqFilterOptions filter;

    @Option(names = "--limit", paramLabel = "N", description = "Show at most N entries (default: all).")
    Integer limit;

    private final Session session;

    public ListDeadLettersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw HubctlException.usage("--limit must be at least 1");
        }
        DlqApi api = new DlqApi(hub.client(session));
        List<JsonNode> entries = api.list(filter.query(Clock.systemUTC()), limit);
        if (output.isTable()) {
            if (entries.isEmpty()) {
                spec.commandLine().getErr().println("No dead letters found.");
                spec.commandLine().getErr().flush();
            } else {
                Map<String, String> names = api.providerNames();
                output.table(spec.commandLine().getOut(), DeadLetterTable.of(entries, names));
            }
        } else {
            ObjectNode list = Json.object();
            list.putArray("items").addAll(entries);
            output.document(spec.commandLine().getOut(), list);
        }
        return ExitCode.OK;
    }
}
