package io.integrationhub.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.integrationhub.cli.CliHub;
import io.integrationhub.cli.CliRun;
import io.integrationhub.cli.CliRunner;
import io.integrationhub.cli.apply.CredentialEntries;
import io.integrationhub.crds.fuzz.ManifestMutations;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.SuiteCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files hubctl reads under 10,000 generated hostile cases (seeded, replayable with
 * {@code -Dfuzz.seed=S}, sized with {@code -Dfuzz.cases=N}): {@code providers apply -f} with the
 * kubectl-style manifests of {@code crds/examples/} mutated (several documents per file, Secrets,
 * other kinds, YAML or JSON, from a file or standard input), garbage, deep nesting, alias bombs,
 * invalid UTF-8 and files over the size limit; {@code providers create -f} with mutated REST
 * documents and {@code providers update -f} with mutated merge patches, against a real hub. Every
 * run exits with a documented code, prints no stack trace, class name or credential from the file,
 * and a run that fails leaves the hub's provider rows exactly as they were. One run in twenty builds
 * hubctl's command line afresh ({@link CliRunner}); the others reuse one ({@link ReusedCommandLine}),
 * which keeps 10,000 runs within a minute or so on a shared machine.
 */
@Tag("fuzz")
class InputFileFuzzTest {
    static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261127L);
    /** What a leaked exception looks like: a Java class name or a stack frame. */
    private static final Pattern LEAK =
            Pattern.compile("(java|javax|jdk|sun|picocli|io\\.helidon|io\\.fabric8|io\\.integrationhub"
                    + "|com\\.fasterxml|org\\.yaml|org\\.snakeyaml)\\.[a-z]+|[A-Za-z]*Exception\\b|[A-Za-z]*Error\\b"
                    + "|\\bat [a-z]+\\.[a-zA-Z.$]+\\(|\\.java:\\d+");

    private static final Set<Integer> EXIT_CODES = Set.of(0, 1, 2, 3, 4, 5);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static CliHub hub;

    @TempDir
    static Path home;

    private static CliRunner hubctl;
    private static ReusedCommandLine reused;
    private static Connection db;

    @BeforeAll
    static void startHub() throws Exception {
        hub = CliHub.start();
        String token = hub.adminToken("t1");
        hubctl = new CliRunner(home.resolve("config")).env("FUZZ_TOKEN", token);
        reused = new ReusedCommandLine(home.resolve("config"), Map.of("FUZZ_TOKEN", token));
        assertThat(hubctl.run(
                                "config",
                                "set-context",
                                "fuzz",
                                "--endpoint",
                                hub.endpoint(),
                                "--tenant",
                                "t1",
                                "--token-env",
                                "FUZZ_TOKEN")
                        .exitCode())
                .isZero();
        db = hub.connectToDatabase();
        hub.createOperatorManaged(
                "t1", "{\"name\": \"op-owned\", \"type\": \"custom\", \"baseUrl\": \"https://op.example.com\"}");
        assertThat(hubctl.runWithStdin(
                                "{\"name\": \"patched\", \"type\": \"sms\", \"baseUrl\": \"https://sms.example.com\","
                                        + " \"auth\": {\"type\": \"bearer\", \"credentials\": {\"token\": \""
                                        + Canary.SECRET + "\"}}}",
                                "providers",
                                "create",
                                "-f",
                                "-")
                        .exitCode())
                .isZero();
    }

    @AfterAll
    static void stopHub() throws Exception {
        db.close();
        hub.close();
    }

    /** A Provider example without its tenant, and its Secret (null for auth none) holding the canary. */
    record Example(ObjectNode provider, ObjectNode secret) {}

    @Test
    void hostileInputFilesExitWithADocumentedCodeAndAFailedRunWritesNothing() throws Exception {
        List<Example> examples = examples();
        ManifestMutations mutations = new ManifestMutations(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        long started = System.nanoTime();
        Rows previous = rows();
        long slowestMillis = -1;
        String slowest = "";
        for (int i = 0; i < CASES; i++) {
            String what = "case #" + i + " (-Dfuzz.seed=" + SEED + ")";
            int command = mutations.nextInt(100);
            Case input = command < 94
                    ? applyCase(i, examples, mutations)
                    : command < 97 ? createCase(i, examples, mutations) : updateCase(mutations);
            Rows before =
                    previous; // only the runs write providers, so the rows after one run are the rows before the next
            long runStarted = System.nanoTime();
            // One run in twenty builds the command line afresh, as a hubctl process does; the others reuse one.
            CliRun run = i % 20 == 0
                    ? hubctl.runWithStdin(input.stdin() ? input.bytes() : new byte[0], input.args())
                    : reused.runWithStdin(input.stdin() ? input.bytes() : new byte[0], input.args());
            long millis = Duration.ofNanos(System.nanoTime() - runStarted).toMillis();
            if (millis > slowestMillis) {
                slowestMillis = millis;
                slowest = "#" + i + " (" + input.bytes().length + " bytes, exit " + run.exitCode() + ")";
            }
            Rows after = rows();
            previous = after;
            String sent = input.text();

            assertThat(run.exitCode())
                    .as("%s: %s\n%s", what, run, shorten(sent))
                    .isIn(EXIT_CODES);
            checkOutput(what, run, sent);
            outcomes.merge(input.args()[1] + " exit " + run.exitCode(), 1, Integer::sum);
            if (run.exitCode() != 0 || input.dryRun()) {
                assertThat(after)
                        .as("%s: a failed run (or a dry run) writes nothing: %s\n%s", what, run, shorten(sent))
                        .isEqualTo(before);
            } else if (input.args()[1].equals("apply")) {
                assertThat(after.providers() - before.providers())
                        .as("%s: one row per created provider: %s", what, run)
                        .isEqualTo(created(run, List.of(input.args()).contains("json")));
            } else if (input.args()[1].equals("create")) {
                assertThat(after.providers() - before.providers())
                        .as("%s: created", what)
                        .isEqualTo(1);
            } else {
                assertThat(after.versions() - before.versions())
                        .as("%s: updated", what)
                        .isEqualTo(1);
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        SuiteCounts.print(
                "fuzz",
                String.format(
                        "%s: %d cases, seed %d, %d s (slowest run %s: %d ms), no stack trace, class name or credential in any output, no write on a refusal: %s",
                        "hubctl input files", CASES, SEED, seconds, slowest, slowestMillis, outcomes));
        assertThat(outcomes.getOrDefault("apply exit 0", 0))
                .as("some files are applied")
                .isPositive();
        assertThat(outcomes.getOrDefault("apply exit 3", 0))
                .as("many are refused")
                .isPositive();
    }

    /**
     * Issue 16's inputs through {@code hubctl call}: header values outside visible ASCII, query keys
     * named like the provider's injected query credential, and the context's token re-spelled
     * (padded). Each is refused with its exit code (3: refused input, 4: authentication), without a
     * trace or the credential in any output. (hubctl sends one Authorization header by construction.)
     */
    @Test
    void callsWithNonAsciiHeadersCollidingQueryKeysAndPaddedTokensAreRefused() throws Exception {
        assertThat(hubctl.runWithStdin(
                                "{\"name\": \"qkey\", \"type\": \"sms\", \"baseUrl\": \"https://127.0.0.1:9\", \"config\": {\"allowPrivateNetwork\": true},"
                                        + " \"auth\": {\"type\": \"api_key\", \"in\": \"query\", \"name\": \"key\", \"credentials\": {\"apiKey\": \""
                                        + Canary.SECRET + "\"}}}",
                                "providers",
                                "create",
                                "-f",
                                "-")
                        .exitCode())
                .isZero();
        String token = hub.adminToken("t1");
        assertThat(hubctl.run(
                                "config",
                                "set-context",
                                "padded",
                                "--endpoint",
                                hub.endpoint(),
                                "--tenant",
                                "t1",
                                "--token-env",
                                "PAD_TOKEN")
                        .exitCode())
                .isZero();
        java.util.Random random = new java.util.Random(SEED + 7);
        int cases = Math.min(CASES, 600);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < cases; i++) {
            String what = "call case #" + i + " (-Dfuzz.seed=" + SEED + ")";
            CliRun run;
            int expected;
            switch (random.nextInt(3)) {
                case 0 -> {
                    String value = "v" + (char) (0x80 + random.nextInt(0x7f80)) + random.nextInt(1000);
                    run = reused.runWithStdin(
                            new byte[0], new String[] {"call", "qkey", "GET", "/x", "-H", "X-Fuzz: " + value});
                    expected = 3;
                }
                case 1 -> {
                    String name = List.of("key", "KEY", "Key")
                            .get(random.nextInt(3)); // hubctl encodes names: "%6Bey" is another name
                    run = reused.runWithStdin(
                            new byte[0],
                            new String[] {"call", "qkey", "GET", "/x", "-q", "a=1", "-q", name + "=forged"});
                    expected = 3;
                }
                default -> {
                    String padded = token + List.of("=", "==", "%3D", ".", "=.").get(random.nextInt(5));
                    run = hubctl.env("PAD_TOKEN", padded).run("call", "qkey", "GET", "/x", "--context", "padded");
                    expected = 4;
                }
            }
            assertThat(run.exitCode()).as("%s: %s", what, run).isEqualTo(expected);
            checkOutput(what, run, "");
            outcomes.merge("exit " + run.exitCode(), 1, Integer::sum);
        }
        SuiteCounts.print(
                "fuzz",
                "hubctl call with non-ASCII header values, same-named query keys, padded tokens: " + cases
                        + " cases, seed " + SEED + ", each refused with its exit code: " + outcomes);
    }

    /** The reused command line answers as a fresh one does, whatever options the run before it had. */
    @Test
    void aReusedCommandLineAnswersAsAFreshOne() throws Exception {
        String manifest = write("reuse", """
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: reuse-check}
                spec: {type: sms, baseUrl: https://reuse.example.com, auth: {type: bearer, secretRef: {name: reuse-creds}}}
                """.getBytes(StandardCharsets.UTF_8));
        String token = write("token", (Canary.SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        List<String[]> runs = List.of(
                new String[] {
                    "providers", "apply", "-f", manifest, "--from-file", "token=" + token, "--dry-run", "-o", "json"
                },
                new String[] {"providers", "apply", "-f", manifest, "--dry-run"},
                new String[] {"providers", "apply", "-f", manifest, "-f", manifest},
                new String[] {"providers", "create", "-f", manifest, "-o", "yaml"},
                new String[] {"providers", "update", "patched", "-f", manifest, "--force"},
                new String[] {"providers", "apply", "-f", "-"});
        for (String[] args : runs) {
            byte[] stdin = "apiVersion: integrationhub.io/v1\nkind: Provider\nmetadata: {name: x}\n"
                    .getBytes(StandardCharsets.UTF_8);
            CliRun again = reused.runWithStdin(stdin, args);
            CliRun fresh = hubctl.runWithStdin(stdin, args);
            assertThat(again).as(String.join(" ", args)).isEqualTo(fresh);
        }
    }

    /** One hubctl run: its arguments, the bytes it reads, whether from standard input. */
    record Case(String[] args, byte[] bytes, boolean stdin, boolean dryRun) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code providers apply}: one to three Providers with their Secrets, sometimes other kinds, mostly mutated. */
    private static Case applyCase(int i, List<Example> examples, ManifestMutations mutations) throws Exception {
        byte[] bytes;
        int shape = mutations.nextInt(1000);
        if (shape == 0) {
            bytes = ManifestMutations.huge(17 * 1024 * 1024, mutations.oneIn(2)); // over hubctl's 16 MiB limit
        } else if (shape == 1) {
            bytes = ManifestMutations.huge(4 * 1024 * 1024, false); // over its 3 MiB for YAML
        } else if (shape == 2) {
            bytes = ManifestMutations.huge(8 * 1024 * 1024, true);
        } else if (shape < 40) {
            bytes = mutations.hostile();
        } else {
            List<JsonNode> documents = new ArrayList<>();
            int providers = mutations.oneIn(2) ? 2 + mutations.nextInt(2) : 1;
            for (int k = 0; k < providers; k++) {
                Example example = examples.get(mutations.nextInt(examples.size()));
                ObjectNode provider = example.provider().deepCopy();
                String name = mutations.oneIn(5)
                        ? "keep-" + mutations.nextInt(4)
                        : mutations.oneIn(50) ? "op-owned" : "a" + i + "-" + k;
                provider.withObject("metadata").put("name", name);
                if (example.secret() != null && !mutations.oneIn(10)) {
                    documents.add(mutations.oneIn(6) ? mutations.mutate(example.secret()) : example.secret());
                }
                documents.add(mutations.oneIn(8) ? provider : mutations.mutate(provider));
            }
            if (mutations.oneIn(10)) {
                documents.add(
                        YAML.readTree("{apiVersion: v1, kind: ConfigMap, metadata: {name: unrelated}, data: {a: b}}"));
            }
            if (mutations.oneIn(5)) {
                Collections.shuffle(documents, new java.util.Random(mutations.nextInt(1000)));
            }
            bytes = mutations.render(documents);
        }
        boolean stdin = mutations.oneIn(2);
        boolean dryRun = mutations.oneIn(10);
        List<String> args =
                new ArrayList<>(List.of("providers", "apply", "-f", stdin ? "-" : write("apply-" + i, bytes)));
        if (dryRun) {
            args.add("--dry-run");
        }
        if (mutations.oneIn(10)) {
            args.addAll(List.of("-o", "json"));
        }
        return new Case(args.toArray(String[]::new), bytes, stdin, dryRun);
    }

    /** {@code providers create}: the REST document of an example (credentials given), mutated. */
    private static Case createCase(int i, List<Example> examples, ManifestMutations mutations) throws Exception {
        Example example = examples.get(mutations.nextInt(examples.size()));
        ObjectNode document = (ObjectNode) example.provider().get("spec").deepCopy();
        document.put("name", "c" + i);
        if (document.get("auth") instanceof ObjectNode auth) {
            auth.remove("secretRef");
            ObjectNode credentials = auth.putObject("credentials");
            CredentialEntries.of(auth.path("type").asText()).forEach(entry -> credentials.put(entry, Canary.SECRET));
        }
        byte[] bytes = mutations.oneIn(25)
                ? mutations.hostile()
                : mutations.renderOne(mutations.oneIn(4) ? document : mutations.mutate(document));
        boolean stdin = mutations.oneIn(2);
        return new Case(
                new String[] {"providers", "create", "-f", stdin ? "-" : write("create-" + i, bytes)},
                bytes,
                stdin,
                false);
    }

    /** {@code providers update}: a merge patch, mutated, to an API provider (or, sometimes, the operator's). */
    private static Case updateCase(ManifestMutations mutations) throws Exception {
        JsonNode patch =
                YAML.readTree("{status: active, baseUrl: 'https://sms.example.com/v2', config: {timeoutMs: 3000,"
                        + " retry: {maxAttempts: 2}, defaultHeaders: {X-A: b}}, auth: {type: bearer, credentials: {token: "
                        + Canary.SECRET + "}}}");
        byte[] bytes = mutations.oneIn(25)
                ? mutations.hostile()
                : mutations.renderOne(mutations.oneIn(4) ? patch : mutations.mutate(patch));
        String target = mutations.oneIn(10) ? "op-owned" : mutations.oneIn(20) ? "missing" : "patched";
        return new Case(new String[] {"providers", "update", target, "-f", "-"}, bytes, true, false);
    }

    /** How many providers an apply reports as created. */
    private static long created(CliRun run, boolean json) {
        if (json) {
            List<JsonNode> items = new ArrayList<>();
            run.json().path("items").forEach(items::add);
            return items.stream()
                    .filter(item -> item.path("action").asText().equals("created"))
                    .count();
        }
        return run.outLines().stream().filter(line -> line.endsWith(" created")).count();
    }

    private static String write(String name, byte[] bytes) throws Exception {
        Path file = home.resolve(name + ".yaml");
        Files.write(file, bytes);
        return file.toString();
    }

    private static List<Example> examples() throws Exception {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("../crds/examples"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                List<JsonNode> docs = YAML.readerFor(JsonNode.class)
                        .<JsonNode>readValues(file.toFile())
                        .readAll();
                ObjectNode provider = (ObjectNode) docs.stream()
                        .filter(d -> "Provider".equals(d.path("kind").asText()))
                        .findFirst()
                        .orElseThrow();
                ((ObjectNode) provider.get("spec")).remove("tenantId"); // the context's tenant, t1
                ObjectNode secret = (ObjectNode) docs.stream()
                        .filter(d -> "Secret".equals(d.path("kind").asText()))
                        .findFirst()
                        .orElse(null);
                if (secret != null) {
                    ObjectNode values = (ObjectNode) secret.get("stringData");
                    List<String> keys = new ArrayList<>();
                    values.fieldNames().forEachRemaining(keys::add);
                    keys.forEach(key -> values.put(key, Canary.SECRET));
                }
                examples.add(new Example(provider, secret));
            }
        }
        return examples;
    }

    private static void checkOutput(String what, CliRun run, String sent) {
        // The error handler adds this to failures that are not hubctl's own: an unexpected exception (an NPE...).
        assertThat(run.err()).as("%s fails unexpectedly: %s", what, run).doesNotContain("(-v shows details)");
        String output = run.out() + "\n" + run.err();
        assertThat(output).as("%s shows a credential of the file", what).doesNotContain(Canary.SECRET);
        Matcher leak = LEAK.matcher(output);
        while (leak.find()) {
            assertThat(sent).as("%s leaks internals: %s", what, run).contains(leak.group());
        }
    }

    record Rows(long providers, long versions, long deleted) {}

    private static Rows rows() throws Exception {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT count(*), coalesce(sum(version), 0), count(deleted_at) FROM providers")) {
            r.next();
            return new Rows(r.getLong(1), r.getLong(2), r.getLong(3));
        }
    }

    private static String shorten(String text) {
        return text.length() <= 3000 ? text : text.substring(0, 3000) + "... (" + text.length() + " characters)";
    }
}
