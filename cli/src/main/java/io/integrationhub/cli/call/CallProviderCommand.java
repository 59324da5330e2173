package io.integrationhub.cli.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.HubClient;
import io.integrationhub.cli.http.HubResponse;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.input.InputFiles;
import io.integrationhub.cli.output.OutputOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl call PROVIDER METHOD PATH}: one call through the hub's pipeline (rate limit,
 * breaker, injected credentials, retries). The provider's answer: status line on stderr, body on
 * stdout, exit code by its status (2xx/3xx 0, 404 2, 401/403 4, 429/5xx 5, other 4xx 3). A hub
 * failure: its problem on stderr, exit code by its type.
 */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Call a provider through the hub.",
        description = {
            "The hub applies the provider's limits, breaker and retries and injects its credentials."
                    + " The answer's status line goes to stderr, its body to stdout. -o json|yaml prints {status, source,"
                    + " attempts, idempotencyKey, replayed, headers, body|bodyText|bodyBase64} instead.",
            "Exit code of a provider's answer: 0 for 2xx/3xx, 2 for 404, 4 for 401/403, 5 for 429/5xx, 3 for other 4xx;"
                    + " of a hub failure: by its problem type."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl call stripe GET /v1/customers -q limit=3",
            "  hubctl call stripe POST /v1/charges -d '{\"amount\": 100}' --idempotency-key order-42",
            "  hubctl call sms POST /send -d @message.json -H 'X-Priority: high'",
            "  hubctl call psp POST /v1/payments -d 'amount=100' --content-type application/x-www-form-urlencoded",
            "  generate-body | hubctl call maps POST /geocode -d @-"
        })
public final class CallProviderCommand implements Callable<Integer> {
    private static final Duration HUB_TIMEOUT = Duration.ofMinutes(6);

    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "The provider's name or id.")
    String provider;

    @Parameters(index = "1", paramLabel = "METHOD", description = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS.")
    String method;

    @Parameters(index = "2", paramLabel = "PATH", description = "Path below the provider's base URL, e.g. /v1/charges.")
    String path;

    @Option(
            names = {"-d", "--data"},
            paramLabel = "BODY|@FILE|@-",
            description = "Request body: literal, @FILE or @- (standard input).")
    String data;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "'NAME: VALUE'",
            description = "Request header. Repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(
            names = {"-q", "--query"},
            paramLabel = "NAME=VALUE",
            description = "Query parameter. Repeatable.")
    List<String> query = new ArrayList<>();

    @Option(
            names = "--idempotency-key",
            paramLabel = "KEY",
            description = "Send this Idempotency-Key (default: the hub generates one).")
    String idempotencyKey;

    @Option(
            names = "--content-type",
            paramLabel = "TYPE",
            description = "Content type of the body (required when it is not JSON).")
    String contentType;

    @Option(
            names = "--timeout-ms",
            paramLabel = "N",
            description = "The whole call's deadline in ms (1-300000): retries and waits included; when it passes,"
                    + " 504 deadline-exceeded and nothing is parked.")
    Integer timeoutMs;

    @Option(
            names = "--body-file",
            paramLabel = "FILE",
            description = "Write the answer's body, byte for byte, to FILE instead of stdout.")
    Path bodyFile;

    private final Session session;

    public CallProviderCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ObjectNode envelope = new CallEnvelope(provider, method, path)
                .headers(headers)
                .query(query)
                .body(body(), contentType)
                .idempotencyKey(idempotencyKey)
                .timeoutMs(timeoutMs)
                .json();
        HubResponse response = hub.client(session).postJson(HubClient.API + "/call", envelope, HUB_TIMEOUT);
        if (response.fromHub() && !response.isSuccess()) {
            throw response.failure();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output.isTable()) {
            err.println(statusLine(response));
            if (hub.verbose()) {
                response.headers()
                        .map()
                        .forEach((name, values) -> values.forEach(value -> err.println("< " + name + ": " + value)));
            }
            err.flush();
            printBody(response, out, err);
        } else {
            output.document(out, describe(response));
        }
        return ExitCode.forStatus(response.status());
    }

    private byte[] body() {
        if (data == null) {
            return null;
        }
        if (data.equals("@-")) {
            return new InputFiles(session).stdin().bytes();
        }
        if (data.startsWith("@")) {
            return InputFiles.file(Path.of(data.substring(1))).bytes();
        }
        return data.getBytes(StandardCharsets.UTF_8);
    }

    private static String statusLine(HubResponse response) {
        StringBuilder line = new StringBuilder(StatusLine.of(response.status()));
        line.append(" (").append(response.header("X-Integration-Source").orElse("upstream"));
        response.header("X-Integration-Attempts")
                .ifPresent(a -> line.append(", attempts ").append(a));
        response.header("Idempotency-Key")
                .ifPresent(k -> line.append(", idempotency-key ").append(k));
        if (response.header("X-Idempotent-Replay").map("true"::equalsIgnoreCase).orElse(false)) {
            line.append(", replayed");
        }
        return line.append(')').toString();
    }

    private void printBody(HubResponse response, PrintWriter out, PrintWriter err) {
        if (bodyFile != null) {
            try {
                Files.write(bodyFile, response.body());
            } catch (IOException e) {
                throw HubctlException.usage("cannot write " + bodyFile + ": " + e.getMessage(), e);
            }
            err.println(response.body().length + " bytes written to " + bodyFile);
            err.flush();
            return;
        }
        Optional<String> text = text(response.body());
        if (text.isEmpty()) {
            err.println("(a binary body of " + response.body().length + " bytes; --body-file FILE saves it)");
            err.flush();
            return;
        }
        if (!text.get().isEmpty()) {
            out.print(text.get());
            if (!text.get().endsWith("\n")) {
                out.println();
            }
        }
        out.flush();
    }

    private static JsonNode describe(HubResponse response) {
        ObjectNode node = Json.object()
                .put("status", response.status())
                .put("source", response.header("X-Integration-Source").orElse("upstream"));
        response.header("X-Integration-Attempts").ifPresent(a -> node.put("attempts", Integer.parseInt(a.trim())));
        response.header("Idempotency-Key").ifPresent(k -> node.put("idempotencyKey", k));
        node.put(
                "replayed",
                response.header("X-Idempotent-Replay")
                        .map("true"::equalsIgnoreCase)
                        .orElse(false));
        ObjectNode headers = node.putObject("headers");
        new TreeMap<>(response.headers().map()).forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", values));
            }
        });
        byte[] body = response.body();
        Optional<String> contentType = response.header("Content-Type");
        Optional<JsonNode> json = contentType.filter(CallEnvelope::isJson).flatMap(t -> Json.tryParse(body));
        if (json.isPresent()) {
            node.set("body", json.get());
        } else {
            Optional<String> text = text(body);
            if (text.isPresent()) {
                node.put("bodyText", text.get());
            } else {
                node.put("bodyBase64", Base64.getEncoder().encodeToString(body));
            }
        }
        return node;
    }

    private static Optional<String> text(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
