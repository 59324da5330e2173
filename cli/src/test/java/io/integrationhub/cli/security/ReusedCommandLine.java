package io.integrationhub.cli.security;

import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.cli.Hubctl;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.config.ConfigStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * The real hubctl command line, built once and executed many times (picocli resets every option to
 * its initial value before each parse), with standard input set per run. Building the command tree
 * is most of a run's CPU, which 10,000 fuzz cases on a shared machine cannot afford each time;
 * {@link io.integrationhub.cli.CliRunner} still builds it afresh, and the fuzz suite checks that
 * both give the same answers.
 */
final class ReusedCommandLine {
    private final SwitchableInput stdin = new SwitchableInput();
    private final CommandLine commandLine;

    ReusedCommandLine(Path configDirectory, Map<String, String> env) {
        commandLine = Hubctl.commandLine(new Session(env, new ConfigStore(configDirectory), stdin));
    }

    CliRun runWithStdin(byte[] input, String... args) {
        stdin.set(input);
        return CliRunner.execute(commandLine, args);
    }

    /** Standard input whose bytes each run sets. */
    private static final class SwitchableInput extends InputStream {
        private InputStream current = InputStream.nullInputStream();

        void set(byte[] bytes) {
            current = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() throws java.io.IOException {
            return current.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            return current.read(b, off, len);
        }
    }
}
