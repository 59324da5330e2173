package io.integrationhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.cli.config.ConfigStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree itself: version, help with examples everywhere, exit codes documented, usage errors, completion. */
class CommandLineTest {
    @TempDir
    Path home;

    private CliRunner hubctl() {
        return new CliRunner(home);
    }

    @Test
    void versionNamesTheBuild() {
        CliRun run = hubctl().run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("hubctl 0\\.1\\.0-SNAPSHOT \\(java [0-9][^)]*\\)\n");
    }

    @Test
    void helpDocumentsEveryExitCode() {
        CliRun run = hubctl().run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Exit codes:\n  0   ok\n  1   usage: ")
                .contains("\n  2   not found")
                .contains("\n  3   conflict or validation")
                .contains("\n  4   auth: ")
                .contains("\n  5   hub or upstream unavailable");
    }

    /** Every command path of the tree, e.g. [providers, apply]. */
    private static List<List<String>> commandPaths(CommandLine commandLine, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : commandLine.getSubcommands().entrySet()) {
            if (!sub.getKey().equals(sub.getValue().getCommandName())
                    || sub.getKey().equals("help")) {
                continue; // aliases and picocli's own help command
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(sub.getKey());
            paths.add(path);
            paths.addAll(commandPaths(sub.getValue(), path));
        }
        return paths;
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        CommandLine tree =
                Hubctl.commandLine(new Session(Map.of(), new ConfigStore(home), new ByteArrayInputStream(new byte[0])));
        List<List<String>> paths = commandPaths(tree, List.of());
        assertThat(paths)
                .extracting(p -> String.join(" ", p))
                .contains(
                        "providers list",
                        "providers get",
                        "providers create",
                        "providers update",
                        "providers delete",
                        "providers health",
                        "providers apply",
                        "call",
                        "config set-context",
                        "config use-context",
                        "config view",
                        "config current-context",
                        "completion");

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun run = hubctl().run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", path)).isZero();
            assertThat(run.out())
                    .as(String.join(" ", path))
                    .contains("Usage: hubctl " + String.join(" ", path))
                    .contains("\nExamples:\n  ");
        }
    }

    @Test
    void aGroupWithoutACommandPrintsItsUsageAndExits1() {
        CliRun run = hubctl().run("providers");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("Manage the tenant's providers")
                .contains("Usage: hubctl providers [-hV] COMMAND");
    }

    @Test
    void usageErrorsAreOneLineWithASuggestionAndExit1() {
        CliRun typo = hubctl().run("providers", "lst");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.err())
                .isEqualTo(
                        "error: Unmatched argument at index 1: 'lst'\nDid you mean: providers ls or providers list?\n"
                                + "Run 'hubctl providers --help' for usage.\n");

        CliRun badFormat = hubctl().run("providers", "list", "-o", "xml");
        assertThat(badFormat.exitCode()).isEqualTo(1);
        assertThat(badFormat.err())
                .startsWith("error: Invalid value for option '--output': 'xml' is not one of table, json, yaml\n");

        CliRun missing = hubctl().run("providers", "get");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: Missing required parameter: 'NAME'\n");
    }

    @Test
    void theOutputFormatIgnoresCase() {
        CliRun run = hubctl().run("config", "view", "-o", "JSON");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json().has("contexts")).isTrue();
    }

    @Test
    void completionScriptsForBashAndZsh() {
        CliRun bash = hubctl().run("completion", "bash");
        CliRun zsh = hubctl().run("completion", "zsh");

        assertThat(bash.exitCode()).isZero();
        assertThat(bash.out())
                .contains("complete -F _complete_hubctl")
                .contains("providers")
                .contains("apply")
                .contains("set-context");
        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).contains("bashcompinit");
        assertThat(hubctl().run("completion", "fish").exitCode()).isEqualTo(1);
    }
}
