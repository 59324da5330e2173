package io.integrationhub.cli;

import io.integrationhub.cli.config.ConfigStore;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/** The {@code hubctl} process: the session from the real environment, UTF-8 output, the exit code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // scripts/hubctl says whether stderr is a terminal (bash: [[ -t 2 ]]); Java 21 cannot tell.
        Session session = new Session(
                System.getenv(),
                ConfigStore.locate(System.getenv(), Path.of(System.getProperty("user.home"))),
                System.in,
                Boolean.getBoolean("hubctl.stderr.tty"));
        CommandLine commandLine = Hubctl.commandLine(session);
        commandLine.setOut(new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }
}
