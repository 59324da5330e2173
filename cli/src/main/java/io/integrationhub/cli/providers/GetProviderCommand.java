package io.integrationhub.cli.providers;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hubctl providers get NAME}: one provider. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Show one provider.",
        description = {
            "By name or id; credentials appear only as \"***\".",
            "ROUTE shows a failover route (config.failover): the providers a call may be sent to, in order, and the",
            "answers that move it on (sms-a>sms-b on 503)."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  hubctl providers get stripe", "  hubctl providers get stripe -o yaml"})
public final class GetProviderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider's name or id.")
    String name;

    private final Session session;

    public GetProviderCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ProviderApi.Versioned provider = new ProviderApi(hub.client(session)).get(name);
        if (output.isTable()) {
            output.table(spec.commandLine().getOut(), ProviderTable.of(List.of(provider.document()), true));
        } else {
            output.document(spec.commandLine().getOut(), provider.document());
        }
        return ExitCode.OK;
    }
}
