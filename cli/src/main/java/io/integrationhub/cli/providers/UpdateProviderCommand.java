package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.input.Documents;
import io.integrationhub.cli.input.InputFiles;
import io.integrationhub.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl providers update NAME -f PATCH}: a JSON merge patch (RFC 7396), guarded by the
 * version just read (If-Match) so that a change made meanwhile is not overwritten; {@code --force}
 * sends it unguarded.
 */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Change a provider with a JSON merge patch (JSON or YAML).",
        description = {
            "Fields given replace, null removes, omitted ones stay; credentials given replace the stored ones.",
            "The patch is sent with If-Match of the version read just before, so a change made meanwhile fails"
                    + " with exit code 3, unless --force."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  echo '{\"status\": \"disabled\"}' | hubctl providers update stripe -f -",
            "  hubctl providers update stripe -f timeouts.yaml --force"
        })
public final class UpdateProviderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider's name or id.")
    String name;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "The merge patch; - reads standard input.")
    String file;

    @Option(names = "--force", description = "Patch whatever the current version is (no If-Match).")
    boolean force;

    private final Session session;

    public UpdateProviderCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        JsonNode patch = Documents.parseOne(new InputFiles(session).readOne(file));
        if (!patch.isObject()) {
            throw HubctlException.usage(file + " must hold a JSON/YAML object (a merge patch)");
        }
        ProviderApi api = new ProviderApi(hub.client(session));
        String etag = force ? null : api.get(name).etag();
        ProviderApi.Versioned updated = api.patch(name, patch, etag);
        ChangeReport.print(spec.commandLine().getOut(), output, updated.name(), "updated", updated.document());
        return ExitCode.OK;
    }
}
