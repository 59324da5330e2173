package io.integrationhub.cli.error;

import java.util.List;

/**
 * The one failure type of hubctl: a message fit for one line of stderr (it never holds a token or a
 * credential), optional detail lines (e.g. the fields a validation named), the exit code, and what
 * {@code -v} adds. Created by the factories, one per exit code.
 */
public class HubctlException extends RuntimeException {
    private final int exitCode;
    private final List<String> details;
    private final String verboseDetail;

    public HubctlException(int exitCode, String message, List<String> details, String verboseDetail, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
        this.verboseDetail = verboseDetail;
    }

    public static HubctlException usage(String message) {
        return new HubctlException(ExitCode.USAGE, message, List.of(), null, null);
    }

    public static HubctlException usage(String message, Throwable cause) {
        return new HubctlException(ExitCode.USAGE, message, List.of(), null, cause);
    }

    public static HubctlException notFound(String message) {
        return new HubctlException(ExitCode.NOT_FOUND, message, List.of(), null, null);
    }

    public static HubctlException invalid(String message, List<String> details) {
        return new HubctlException(ExitCode.CONFLICT, message, details, null, null);
    }

    public static HubctlException auth(String message) {
        return new HubctlException(ExitCode.AUTH, message, List.of(), null, null);
    }

    public static HubctlException unavailable(String message, Throwable cause) {
        return new HubctlException(ExitCode.UNAVAILABLE, message, List.of(), null, cause);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Lines shown under the message, indented (field errors, hints). */
    public List<String> details() {
        return details;
    }

    /** What {@code --verbose} shows besides the stack trace (e.g. the whole problem document), or null. */
    public String verboseDetail() {
        return verboseDetail;
    }
}
