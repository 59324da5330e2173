package io.integrationhub.cli;

import io.integrationhub.cli.error.ErrorHandler;
import picocli.CommandLine;

/** Builds the {@code hubctl} command line for a {@link Session}: commands, error handling, parsing rules. */
public final class Hubctl {
    private Hubctl() {}

    public static CommandLine commandLine(Session session) {
        CommandLine commandLine = new CommandLine(HubctlCommand.class, new CommandFactory(session));
        ErrorHandler errors = new ErrorHandler();
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setAbbreviatedOptionsAllowed(false);
        // "-d @file" is hubctl's (curl's) syntax, not picocli's argument file.
        commandLine.setExpandAtFiles(false);
        commandLine.setUsageHelpLongOptionsMaxWidth(30);
        commandLine.setUsageHelpWidth(110);
        return commandLine;
    }
}
