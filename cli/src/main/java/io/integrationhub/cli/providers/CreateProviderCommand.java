package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.input.Documents;
import io.integrationhub.cli.input.InputFiles;
import io.integrationhub.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hubctl providers create -f FILE}: a provider from its REST document (JSON or YAML). */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Create a provider from its REST document (JSON or YAML).",
        description = {
            "The document has the REST API's fields: name, type, baseUrl, auth (with credentials), config,"
                    + " status. Credentials go in auth.credentials of the file, never in a flag.",
            "For Kubernetes Provider YAML (kind: Provider) use 'hubctl providers apply'."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl providers create -f stripe.json", "  cat stripe.yaml | hubctl providers create -f - -o json"
        })
public final class CreateProviderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "The provider document; - reads standard input.")
    String file;

    private final Session session;

    public CreateProviderCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        JsonNode document = Documents.parseOne(new InputFiles(session).readOne(file));
        if (!document.isObject()) {
            throw HubctlException.usage(file + " must hold a JSON/YAML object (the provider document)");
        }
        if (document.has("kind") || document.has("apiVersion")) {
            throw HubctlException.usage(file + " is a Kubernetes resource (kind: " + Json.text(document, "kind")
                    + "); use 'hubctl providers apply -f " + file + "'");
        }
        ProviderApi.Versioned created = new ProviderApi(hub.client(session)).create(document);
        ChangeReport.print(spec.commandLine().getOut(), output, created.name(), "created", created.document());
        return ExitCode.OK;
    }
}
