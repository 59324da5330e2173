package io.integrationhub.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.OutputOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl dlq retry-all}: queues every matching pending or failed entry, then follows the
 * batch until no entry of it is retrying: a progress bar on a terminal's stderr, a summary on
 * stdout. Exit code 0 when every retry succeeded, 5 when some failed or the wait timed out.
 */
@Command(
        name = "retry-all",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Retry every matching dead letter and follow the batch to the end.",
        description = {
            "Queues the matching pending and failed entries (each replayed with its own idempotency key),"
                    + " then shows a progress bar on stderr (on a terminal) until none is retrying any more, and prints a"
                    + " summary: queued, succeeded, failed, still pending, removed meanwhile.",
            "Exit code 0 when every retry succeeded, 5 when some failed or --timeout passed first."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl dlq retry-all --provider stripe",
            "  hubctl dlq retry-all --status failed --since 2h -o json",
            "  hubctl dlq retry-all --no-wait"
        })
public final class RetryAllDeadLettersCommand implements Callable<Integer> {
    private static final int BAR_WIDTH = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Mixin
    DlqFilterOptions filter;

    @Option(names = "--no-wait", description = "Only start the batch; print its id and status URL.")
    boolean noWait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            description = "How long to follow the batch (default: ${DEFAULT-VALUE}; forms: 90s, 10m, 1h).")
    String timeout;

    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "500", hidden = true)
    long pollMillis;

    private final Session session;

    public RetryAllDeadLettersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Duration wait = DlqFilterOptions.duration(timeout);
        if (wait == null) {
            throw HubctlException.usage("--timeout takes a duration such as 90s, 10m or 1h");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DlqApi api = new DlqApi(hub.client(session));
        JsonNode batch = api.retryAll(filter.query(Clock.systemUTC()));
        String batchId = Json.text(batch, "batchId");
        int queued = batch.path("queued").asInt();
        if (noWait || queued == 0) {
            if (output.isTable()) {
                out.println(
                        queued == 0
                                ? "retry-all: no pending or failed dead letter matches"
                                : "retry-all " + batchId + " started: " + queued + " queued (progress: GET "
                                        + Json.text(batch, "statusUrl") + ")");
                out.flush();
            } else {
                output.document(out, batch);
            }
            return ExitCode.OK;
        }
        String statusUrl = Json.text(batch, "statusUrl");
        Instant deadline = Instant.now().plus(wait);
        JsonNode progress = api.progress(statusUrl);
        while (!progress.path("done").asBoolean(false) && Instant.now().isBefore(deadline)) {
            bar(err, progress, false);
            sleep();
            progress = api.progress(statusUrl);
        }
        bar(err, progress, true);
        if (output.isTable()) {
            out.println("retry-all " + batchId + ": queued " + queued + ", succeeded "
                    + progress.path("succeeded").asInt()
                    + ", failed " + progress.path("failed").asInt() + ", pending "
                    + progress.path("pending").asInt()
                    + ", removed " + progress.path("removed").asInt());
            out.flush();
        } else {
            output.document(out, progress);
        }
        if (!progress.path("done").asBoolean(false)) {
            throw HubctlException.unavailable(
                    "retry-all " + batchId + " is still running after " + timeout
                            + "; 'hubctl dlq list --status retrying' shows what is left",
                    null);
        }
        int failed = progress.path("failed").asInt();
        if (failed > 0) {
            throw HubctlException.unavailable(
                    failed + " of " + queued + " retries failed; 'hubctl dlq list --status failed'" + " shows them",
                    null);
        }
        return ExitCode.OK;
    }

    /** {@code [##########--------------------]  12/40  succeeded 10  failed 2  retrying 28}, redrawn in place. */
    private void bar(PrintWriter err, JsonNode progress, boolean last) {
        if (!session.stderrIsTerminal()) {
            return;
        }
        int queued = Math.max(1, progress.path("queued").asInt());
        int finished = progress.path("succeeded").asInt()
                + progress.path("failed").asInt()
                + progress.path("removed").asInt()
                + (progress.path("done").asBoolean(false)
                        ? progress.path("pending").asInt()
                        : 0);
        int filled = Math.min(BAR_WIDTH, finished * BAR_WIDTH / queued);
        err.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]  " + finished + "/" + queued
                + "  succeeded " + progress.path("succeeded").asInt() + "  failed "
                + progress.path("failed").asInt()
                + "  retrying " + progress.path("retrying").asInt() + "  ");
        if (last) {
            err.println();
        }
        err.flush();
    }

    private void sleep() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HubctlException.unavailable("interrupted while following the retry-all batch", e);
        }
    }
}
