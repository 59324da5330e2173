package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.HubResponse;
import io.integrationhub.cli.http.ProblemException;
import io.integrationhub.cli.output.OutputOptions;
import io.integrationhub.cli.output.Table;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl providers health NAME}: {@code GET /providers/{id}/health} (breaker state, counters,
 * error rate, latency). A hub without that route answers 404 {@code not-found} (no route), shown as
 * "not available" with exit 5, unlike an unknown provider ({@code provider-not-found}, exit 2).
 */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Show a provider's health as the hub sees it.",
        description = "Circuit breaker state, counters, who used the limit in the last second (per class and module,"
                + " on the instance that answers), calls waiting for a slot, recent error rate and latency. Exit code 5"
                + " when the hub does"
                + " not offer provider health yet.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl providers health stripe", "  hubctl providers health stripe -o json"})
public final class GetProviderHealthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider's name or id.")
    String name;

    private final Session session;

    public GetProviderHealthCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        HubResponse response = new ProviderApi(hub.client(session)).health(name);
        if (response.status() == 404
                && response.failure() instanceof ProblemException problem
                && "not-found".equals(problem.problem().type())) {
            throw HubctlException.unavailable(
                    "provider health is not available on this hub yet (it does not serve" + " GET " + ProviderApi.PATH
                            + "/{id}/health); 'hubctl providers get " + name + "' shows the provider",
                    null);
        }
        JsonNode health = response.requireSuccess().json();
        if (output.isTable()) {
            Table table = Table.withHeaders("FIELD", "VALUE");
            flatten("", health, table);
            output.table(spec.commandLine().getOut(), table);
        } else {
            output.document(spec.commandLine().getOut(), health);
        }
        return ExitCode.OK;
    }

    private static void flatten(String prefix, JsonNode node, Table table) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), table);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), table);
            }
        } else {
            table.row(prefix, node.isNull() ? null : node.asText());
        }
    }
}
