package io.integrationhub.cli.completion;

import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.error.ExitCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl completion bash|zsh}: prints the completion script of the whole command tree. The
 * script picocli generates serves both shells (in zsh it loads {@code bashcompinit} itself).
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print the shell completion script for bash or zsh.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(hubctl completion bash)                  # this shell",
            "  hubctl completion bash > ~/.local/share/bash-completion/completions/hubctl",
            "  echo 'source <(hubctl completion zsh)' >> ~/.zshrc"
        })
public final class GenerateCompletionCommand implements Callable<Integer> {
    /** The shells the script supports. */
    public enum Shell {
        bash,
        zsh
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
