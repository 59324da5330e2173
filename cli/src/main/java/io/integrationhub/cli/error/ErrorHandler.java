package io.integrationhub.cli.error;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become stderr lines and exit codes. A {@link HubctlException} is
 * shown as its message and detail lines; anything else as its class-free message. Stack traces and
 * the hub's whole problem document appear only with {@code -v}/{@code --verbose}. Bad arguments
 * print one line, a suggestion if picocli has one, and which {@code --help} to read (exit 1).
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private static final String VERBOSE = "--verbose";

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = isVerbose(parseResult);
        if (ex instanceof HubctlException failure) {
            err.println("error: " + failure.getMessage());
            failure.details().forEach(line -> err.println("  " + line));
            if (verbose && failure.verboseDetail() != null) {
                err.println(failure.verboseDetail());
            }
            if (verbose && failure.getCause() != null) {
                failure.getCause().printStackTrace(err);
            }
            err.flush();
            return failure.exitCode();
        }
        err.println("error: " + describe(ex) + (verbose ? "" : " (-v shows details)"));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = ex.getMessage();
        if (message != null && message.startsWith("Missing required subcommand")) {
            commandLine.usage(err);
        } else {
            err.println("error: " + withoutValues(ex));
            UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return ExitCode.USAGE;
    }

    /**
     * The message, but for unknown options without the words that follow them: {@code --token abc}
     * must not echo {@code abc} (it may be a secret typed where no flag takes one).
     */
    private static String withoutValues(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> options = unmatched.getUnmatched().stream()
                    .filter(arg -> arg.startsWith("-"))
                    .toList();
            if (!options.isEmpty()) {
                String names = options.stream()
                        .map(o -> "'" + o.split("=", 2)[0] + "'")
                        .collect(Collectors.joining(", "));
                int others = unmatched.getUnmatched().size() - options.size();
                return (options.size() == 1 ? "Unknown option: " : "Unknown options: ")
                        + names
                        + (others > 0
                                ? " (and " + others + " more argument" + (others > 1 ? "s" : "") + ", not shown)"
                                : "");
            }
        }
        return ex.getMessage();
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank()
                ? "unexpected failure"
                : message.lines().findFirst().orElse(message);
    }

    /** Whether {@code -v} was given to the command that ran (or any command on its path). */
    static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
