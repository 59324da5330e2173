package io.integrationhub.cli;

import io.integrationhub.cli.config.ConfigStore;
import io.integrationhub.testkit.Canary;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the real hubctl command line in-process, as Main does but with a given environment, config
 * directory and standard input, and records every output in the {@link Canary} journal so that the
 * final hygiene scan sees all of it.
 */
public final class CliRunner {
    private final Path configDirectory;
    private final Map<String, String> env = new HashMap<>();

    public CliRunner(Path configDirectory) {
        this.configDirectory = configDirectory;
    }

    /** Sets (or, with null, removes) an environment variable for the following runs. */
    public CliRunner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Path configDirectory() {
        return configDirectory;
    }

    public CliRun run(String... args) {
        return runWithStdin("", args);
    }

    public CliRun runWithStdin(String stdin, String... args) {
        return runWithStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    public CliRun runWithStdin(byte[] stdin, String... args) {
        Session session = new Session(env, new ConfigStore(configDirectory), new ByteArrayInputStream(stdin));
        return execute(Hubctl.commandLine(session), args);
    }

    /** Runs {@code args} on a hubctl command line, capturing its output (and journalling it for the canary scan). */
    public static CliRun execute(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        CliRun run = new CliRun(exitCode, out.toString(), err.toString());
        Canary.record("cli hubctl " + String.join(" ", args), run.out() + "\n" + run.err());
        return run;
    }
}
