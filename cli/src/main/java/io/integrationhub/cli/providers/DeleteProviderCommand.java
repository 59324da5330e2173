package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hubctl providers delete NAME}: soft delete, guarded by the version just read unless {@code --force}. */
@Command(
        name = "delete",
        aliases = "rm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Delete a provider.",
        description = "A soft delete: calls to it fail from now on and its name is free again. Sent with If-Match of"
                + " the version read just before, unless --force.",
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl providers delete old-sms"})
public final class DeleteProviderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider's name or id.")
    String name;

    @Option(names = "--force", description = "Delete whatever the current version is (no If-Match).")
    boolean force;

    private final Session session;

    public DeleteProviderCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ProviderApi api = new ProviderApi(hub.client(session));
        ProviderApi.Versioned current = force ? null : api.get(name);
        api.delete(name, current == null ? null : current.etag());
        String shown = current == null ? name : current.name();
        ObjectNode result = Json.object().put("name", shown);
        if (current != null) {
            result.put("id", Json.text(current.document(), "id"));
        }
        result.put("deleted", true);
        ChangeReport.print(spec.commandLine().getOut(), output, shown, "deleted", result);
        return ExitCode.OK;
    }
}
