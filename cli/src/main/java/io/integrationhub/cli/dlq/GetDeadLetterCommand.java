package io.integrationhub.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import io.integrationhub.cli.output.Table;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hubctl dlq get ID}: one dead letter with its stored request (secret headers masked by the hub). */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Show one dead letter and the request it holds.",
        description = "The request as the hub keeps it for replay: never the injected credentials, and header or query"
                + " values that carry secrets masked. The body only with --include-body (json/yaml: bodyBase64).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl dlq get 01j9pintq3v2d6s8y4x0a1b2c3",
            "  hubctl dlq get 01j9pintq3v2d6s8y4x0a1b2c3 -o json --include-body"
        })
public final class GetDeadLetterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id.")
    String id;

    @Option(names = "--include-body", description = "Also fetch the request body.")
    boolean includeBody;

    private final Session session;

    public GetDeadLetterCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        DlqApi api = new DlqApi(hub.client(session));
        JsonNode entry = api.get(id, includeBody);
        if (!output.isTable()) {
            output.document(spec.commandLine().getOut(), entry);
            return ExitCode.OK;
        }
        output.table(spec.commandLine().getOut(), DeadLetterTable.of(List.of(entry), api.providerNames()));
        Table request = Table.withHeaders("REQUEST", "VALUE");
        request.row("idempotency key", Json.text(entry, "idempotencyKey"));
        request.row("last error", Json.text(entry, "lastError.message"));
        request.row("query", Json.text(entry, "request.query"));
        Iterator<Map.Entry<String, JsonNode>> headers =
                entry.path("request").path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> header = headers.next();
            header.getValue().forEach(value -> request.row("header " + header.getKey(), value.asText()));
        }
        request.row("content type", Json.text(entry, "request.contentType"));
        request.row(
                "body",
                Json.text(entry, "request.bodySize") + " bytes"
                        + (includeBody ? "" : " (--include-body -o json shows it)"));
        request.row("expires", Json.text(entry, "expiresAt"));
        spec.commandLine().getOut().println();
        output.table(spec.commandLine().getOut(), request);
        return ExitCode.OK;
    }
}
