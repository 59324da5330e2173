package io.integrationhub.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import io.integrationhub.cli.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl config view}: the contexts, with where each token comes from but never a token
 * ({@code ***} stands for one stored in the file).
 */
@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Show the contexts; tokens are never shown.",
        description = "TOKEN says where a context's token comes from: file:PATH, env:VAR, or *** when stored in the"
                + " config file. -o json|yaml prints the config file with stored tokens masked.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl config view", "  hubctl config view -o yaml"})
public final class ViewConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    private final Session session;

    public ViewConfigCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        HubctlConfig config = session.configStore().load().masked();
        String current = new TargetResolver(session).contextName(null, config);
        if (output.isTable()) {
            if (config.contexts().isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("No contexts in " + session.configStore().file()
                                + "; 'hubctl config set-context NAME --endpoint URL --token-file FILE' creates one.");
                spec.commandLine().getErr().flush();
                return ExitCode.OK;
            }
            Table table = Table.withHeaders("CURRENT", "NAME", "ENDPOINT", "TENANT", "TOKEN");
            config.contexts()
                    .forEach((name, entry) -> table.row(
                            name.equals(current) ? "*" : "",
                            name,
                            entry.endpoint(),
                            entry.tenant(),
                            entry.tokenSource()));
            output.table(spec.commandLine().getOut(), table);
        } else {
            JsonNode document = Json.mapper().valueToTree(config);
            output.document(spec.commandLine().getOut(), document);
        }
        return ExitCode.OK;
    }
}
