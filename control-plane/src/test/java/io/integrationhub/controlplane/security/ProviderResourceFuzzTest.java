package io.integrationhub.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.integrationhub.controlplane.ExampleManifests;
import io.integrationhub.controlplane.OperatorHarness;
import io.integrationhub.controlplane.TestResources;
import io.integrationhub.controlplane.health.OperatorMetrics;
import io.integrationhub.controlplane.reconcile.ProviderEvents;
import io.integrationhub.controlplane.reconcile.ProviderReconciler;
import io.integrationhub.controlplane.reconcile.ProviderTranslator;
import io.integrationhub.controlplane.reconcile.ReadyReason;
import io.integrationhub.controlplane.reconcile.RegistrySync;
import io.integrationhub.crds.CrdConstants;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.fuzz.ManifestMutations;
import io.integrationhub.crds.status.Condition;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.SuiteCounts;
import io.integrationhub.testkit.TestDatabase;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Provider resources under 10,000 generated hostile cases (seeded, replayable with
 * {@code -Dfuzz.seed=S}, sized with {@code -Dfuzz.cases=N}): the examples of {@code crds/examples/},
 * mutated and written as YAML or JSON text, go the operator's way: deserialized as fabric8 does
 * for the informer, then the reconciler's validate -> Secret -> seal -> upsert step against a real
 * PostgreSQL registry. (The reconciler is called directly: the mock API server's asynchronous round
 * trip per case would not fit 10,000 cases into a test run; it still receives the Events.) The
 * reconciler never throws, the Ready reason is one of the typed ones with a message that holds no
 * stack trace, class name or credential, a rejected spec writes nothing and an accepted one exactly
 * one live row.
 */
@Tag("fuzz")
class ProviderResourceFuzzTest {
    static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final String NAMESPACE = "fuzz";
    /** What a leaked exception looks like: a Java class name or a stack frame. */
    private static final Pattern LEAK =
            Pattern.compile("(java|javax|jdk|sun|io\\.fabric8|io\\.javaoperatorsdk|io\\.integrationhub"
                    + "|com\\.fasterxml|org\\.jdbi|org\\.postgresql|org\\.yaml|org\\.snakeyaml)\\.[a-z]+|[A-Za-z]*Exception\\b|[A-Za-z]*Error\\b"
                    + "|\\bat [a-z]+\\.[a-zA-Z.$]+\\(|\\.java:\\d+");
    /** Reasons a fuzzed resource may end with; RegistryError (the registry failed) is not among them. */
    private static final Set<String> EXPECTED_REASONS = Set.of(
            ReadyReason.Reconciled.name(),
            ReadyReason.InvalidSpec.name(),
            ReadyReason.SecretNotFound.name(),
            ReadyReason.SecretKeyMissing.name(),
            ReadyReason.InvalidCredentials.name(),
            ReadyReason.NameTaken.name(),
            ReadyReason.FailoverTargetNotFound.name());
    /** What fabric8 throws for JSON it cannot map onto the model (wrong types): such an object never reaches the reconciler. */
    private static final List<Class<?>> DESERIALIZATION_FAILURES = List.of(
            IllegalArgumentException.class,
            io.fabric8.kubernetes.client.KubernetesClientException.class,
            com.fasterxml.jackson.core.JacksonException.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the API server accepts as an object's name (a DNS-1123 subdomain). */
    private static final Pattern OBJECT_NAME = Pattern.compile(io.integrationhub.crds.spec.Patterns.DNS_1123_SUBDOMAIN);
    /** The operator's client deserializes with a default KubernetesSerialization. */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static KubernetesMockServer apiServer;
    private static KubernetesClient client;
    private static TestDatabase testDatabase;
    private static Database database;
    private static ProviderRepository repository;
    private static ProviderReconciler reconciler;
    private static Connection db;

    @BeforeAll
    static void start() throws Exception {
        Canary.captureLogs();
        // An API server that takes Events and nothing else (CRUD mode would keep 10,000 of them and slow down).
        apiServer = new KubernetesMockServer(false);
        apiServer.init();
        apiServer
                .expect()
                .post()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/events")
                .andReturn(201, "{}")
                .always();
        client = apiServer.createClient();
        testDatabase = TestDatabase.create();
        try (Connection admin = testDatabase.connect();
                Statement s = admin.createStatement()) {
            // A throwaway database: commits need not wait for the disk.
            s.execute("ALTER DATABASE " + testDatabase.name() + " SET synchronous_commit = off");
        }
        database = Database.connectAndMigrate(testDatabase.settings());
        Clock clock = Clock.systemUTC();
        repository = new ProviderRepository(
                database.jdbi(), new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null)), clock);
        reconciler = new ProviderReconciler(
                new ProviderTranslator(new ProviderValidator(false)),
                new RegistrySync(repository),
                new OperatorHarness.FakeCircuits(),
                new ProviderEvents(client, clock),
                new OperatorMetrics(),
                clock,
                Duration.ofMinutes(1));
        db = testDatabase.connect();
        // A provider created through the API, so that some cases meet NameTaken.
        repository.create(
                NAMESPACE,
                new ProviderValidator(false)
                        .validateNew(
                                io.integrationhub.registry.Json.mapper()
                                        .readTree(
                                                "{\"name\": \"api-owned\", \"type\": \"custom\", \"baseUrl\": \"https://api-owned.example.com\"}")),
                ManagedBy.API);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        client.close();
        apiServer.destroy();
        database.close();
        testDatabase.close();
    }

    /** A Provider example and its Secret (null for auth none), credentials replaced by the canary. */
    record Example(JsonNode provider, JsonNode secret) {}

    @Test
    void mutatedProviderResourcesEndTypedAndWriteAllOrNothing() throws Exception {
        List<Example> examples = examples();
        ManifestMutations mutations = new ManifestMutations(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        Set<String> live = new java.util.HashSet<>(); // tenant/name of the operator's live rows
        long started = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            String what = "case #" + i + " (-Dfuzz.seed=" + SEED + ")";
            Example example = examples.get(mutations.nextInt(examples.size()));
            ObjectNode valid = example.provider().deepCopy();
            // Mostly fresh names (creates), sometimes a few shared ones (updates) or the API's (NameTaken).
            String name =
                    mutations.oneIn(5) ? "shared-" + mutations.nextInt(3) : mutations.oneIn(50) ? "api-owned" : "p" + i;
            valid.withObject("metadata").put("name", name);

            byte[] providerText = mutations.oneIn(25)
                    ? mutations.hostile()
                    : mutations.renderOne(mutations.oneIn(8) ? valid : mutations.mutate(valid));
            byte[] secretText = example.secret() == null
                    ? null
                    : mutations.renderOne(mutations.oneIn(5) ? mutations.mutate(example.secret()) : example.secret());
            String sent = text(providerText) + "\n" + (secretText == null ? "" : text(secretText));

            Optional<Provider> resource =
                    deserialize(providerText, Provider.class, CrdConstants.KIND, CrdConstants.API_VERSION, what);
            if (resource.isEmpty()) {
                outcomes.merge("never reaches the operator", 1, Integer::sum);
                continue;
            }
            Provider provider = resource.get();
            if (provider.getMetadata() == null
                    || provider.getMetadata().getName() == null
                    || provider.getMetadata().getName().length() > 253
                    || !OBJECT_NAME.matcher(provider.getMetadata().getName()).matches()) {
                outcomes.merge("refused by the API server (metadata.name)", 1, Integer::sum);
                continue;
            }
            asStoredByTheApiServer(provider);
            Optional<Secret> secret = secretText == null
                    ? Optional.empty()
                    : deserialize(secretText, Secret.class, "Secret", "v1", what)
                            .filter(s -> s.getMetadata() != null);
            secret.ifPresent(s -> s.getMetadata().setNamespace(NAMESPACE));

            Rows before = rows();
            FakeContext context = new FakeContext(provider, secret);
            try {
                reconciler.reconcile(provider, context);
            } catch (Throwable e) {
                throw new AssertionError(what + ": the reconciler threw for\n" + shorten(sent), e);
            }
            Condition ready = provider.getStatus() == null
                    ? null
                    : provider.getStatus().condition(Condition.READY).orElse(null);
            assertThat(ready)
                    .as("%s: a Ready condition for\n%s", what, shorten(sent))
                    .isNotNull();
            assertThat(ready.getReason())
                    .as("%s: %s for\n%s", what, ready, shorten(sent))
                    .isIn(EXPECTED_REASONS);
            checkMessage(what, ready.getMessage(), sent);
            outcomes.merge(ready.getReason(), 1, Integer::sum);

            Rows after = rows();
            String tenant = ProviderTranslator.tenantOf(provider);
            String key = tenant + "/" + provider.getMetadata().getName();
            if (Condition.TRUE.equals(ready.getStatus())) {
                assertThat(ready.getReason()).isEqualTo(ReadyReason.Reconciled.name());
                assertThat(liveRows(tenant, provider.getMetadata().getName()))
                        .as("%s: one live row", what)
                        .isEqualTo(1);
                assertThat(after.providers() - before.providers())
                        .as("%s: rows created", what)
                        .isEqualTo(live.add(key) ? 1 : 0);
                assertThat(after.outbox() - before.outbox())
                        .as("%s: events written", what)
                        .isBetween(0L, 1L);
            } else {
                assertThat(after)
                        .as("%s: a rejected resource (%s) writes nothing\n%s", what, ready, shorten(sent))
                        .isEqualTo(before);
            }

            if (mutations.oneIn(10)) {
                // kubectl delete: the finalizer's cleanup soft-deletes the row this resource maps to, and nothing else.
                DeleteControl deletion;
                try {
                    deletion = reconciler.cleanup(provider, context);
                } catch (Throwable e) {
                    throw new AssertionError(what + ": the cleanup threw for\n" + shorten(sent), e);
                }
                Rows deleted = rows();
                if (!deletion.isRemoveFinalizer()) {
                    // Held: another live provider's failover route names this one, so its row stays.
                    assertThat(live).as("%s: a held deletion has a row", what).contains(key);
                    assertThat(deleted)
                            .as("%s: a held deletion writes nothing", what)
                            .isEqualTo(after);
                    outcomes.merge("deletion held (in a failover route)", 1, Integer::sum);
                    continue;
                }
                boolean hadRow = live.remove(key);
                assertThat(deleted.deleted() - after.deleted())
                        .as("%s: rows deleted", what)
                        .isEqualTo(hadRow ? 1 : 0);
                assertThat(deleted.providers()).isEqualTo(after.providers());
                if (hadRow) {
                    assertThat(liveRows(tenant, provider.getMetadata().getName()))
                            .as("%s: no live row", what)
                            .isZero();
                }
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        SuiteCounts.print(
                "fuzz",
                String.format(
                        "%s: %d cases, seed %d, %d s, no unexpected exception, typed reasons only, no write on a refusal: %s",
                        "Provider resource specs", CASES, SEED, seconds, outcomes));
        assertThat(outcomes.getOrDefault(ReadyReason.Reconciled.name(), 0))
                .as("some mutations stay valid")
                .isPositive();
        assertThat(outcomes.getOrDefault(ReadyReason.InvalidSpec.name(), 0))
                .as("most do not")
                .isGreaterThan(CASES / 10);

        assertThat(Canary.leaks()).as("logs showing the canary").isEmpty();
        for (var request = apiServer.takeRequest(0, TimeUnit.SECONDS);
                request != null;
                request = apiServer.takeRequest(0, TimeUnit.SECONDS)) {
            String event = request.getBody().readUtf8();
            assertThat(event).as("an Event").doesNotContain(Canary.SECRET);
            checkMessage("an Event", JSON.readTree(event).path("message").asText("-"), "");
        }
    }

    /** Found by this fuzzer: such a tenant reached the registry (NUL made PostgreSQL fail, and so did every deletion). */
    @Test
    void aTenantIdTheCrdSchemaRefusesIsAnInvalidSpecAndDeletingTheResourceTouchesNoRow() throws Exception {
        for (String tenant : List.of("te\u0000nant", "a b", "t".repeat(64), "-lead", "../other")) {
            Provider provider = TestResources.provider(NAMESPACE, "odd-tenant", null);
            provider.getSpec().setTenantId(tenant);
            asStoredByTheApiServer(provider);
            FakeContext context = new FakeContext(provider, Optional.empty());
            Rows before = rows();

            reconciler.reconcile(provider, context);
            Condition ready = provider.getStatus().condition(Condition.READY).orElseThrow();
            assertThat(ready.getReason()).as(tenant).isEqualTo(ReadyReason.InvalidSpec.name());
            assertThat(ready.getMessage())
                    .as(tenant)
                    .startsWith("spec.tenantId: ")
                    .doesNotContain(tenant);
            reconciler.cleanup(provider, context);
            assertThat(rows()).as(tenant).isEqualTo(before);
        }
    }

    /** The examples' Provider and Secret documents as plain trees. */
    private static List<Example> examples() throws Exception {
        List<Example> examples = new ArrayList<>();
        for (Path file : ExampleManifests.files()) {
            List<JsonNode> docs = YAML.readerFor(JsonNode.class)
                    .<JsonNode>readValues(file.toFile())
                    .readAll();
            JsonNode provider = docs.stream()
                    .filter(d -> "Provider".equals(d.path("kind").asText()))
                    .findFirst()
                    .orElseThrow();
            JsonNode secret = docs.stream()
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
        return examples;
    }

    /**
     * The object as the informer hands it over, or empty when it never gets that far. The text is
     * read as kubectl reads a file (YAML or JSON; here with Jackson, standing in for kubectl's Go
     * decoder); kubectl sends it as JSON to the API server, which stores and serves it as JSON; the
     * operator's fabric8 client deserializes that JSON into the model.
     */
    private static <T> Optional<T> deserialize(
            byte[] text, Class<T> type, String kind, String apiVersion, String what) {
        JsonNode object;
        try {
            object = (looksLikeJson(text) ? JSON : YAML).readTree(text);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty(); // kubectl refuses a file it cannot parse
        } catch (StackOverflowError e) {
            throw new AssertionError(
                    what + ": the YAML/JSON parser overflowed the stack reading\n" + shorten(text(text)), e);
        }
        if (object == null
                || !object.isObject()
                || !kind.equals(object.path("kind").textValue())
                || !apiVersion.equals(object.path("apiVersion").textValue())) {
            return Optional.empty(); // not this kind of resource: kubectl sends it elsewhere, or refuses it
        }
        try {
            return Optional.ofNullable(SERIALIZATION.unmarshal(JSON.writeValueAsString(object), type));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            if (DESERIALIZATION_FAILURES.stream().noneMatch(failure -> failure.isInstance(e))) {
                throw new AssertionError(what + ": fabric8 failed unexpectedly reading\n" + shorten(text(text)), e);
            }
            return Optional.empty();
        }
    }

    private static boolean looksLikeJson(byte[] text) {
        String start = text(text).stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }

    /** The API server's part: the namespace it was applied to, a first generation, a uid, no status on create. */
    private static void asStoredByTheApiServer(Provider provider) {
        ObjectMeta metadata = provider.getMetadata();
        metadata.setNamespace(NAMESPACE);
        metadata.setGeneration(1L);
        metadata.setUid(java.util.UUID.randomUUID().toString());
        provider.setStatus(null);
    }

    private static void checkMessage(String what, String message, String sent) {
        // metav1.Condition's limit: a longer message would make the API server refuse the status patch.
        assertThat(message)
                .as(what)
                .isNotBlank()
                .hasSizeLessThanOrEqualTo(32_768)
                .doesNotContain(Canary.SECRET);
        Matcher leak = LEAK.matcher(message);
        while (leak.find()) {
            assertThat(sent)
                    .as("%s: the status message leaks internals: %s", what, message)
                    .contains(leak.group());
        }
    }

    record Rows(long providers, long versions, long deleted, long outbox) {}

    private static Rows rows() throws Exception {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT (SELECT count(*) FROM providers), (SELECT coalesce(sum(version), 0) FROM providers),"
                                + " (SELECT count(deleted_at) FROM providers), (SELECT count(*) FROM outbox)")) {
            r.next();
            return new Rows(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
        }
    }

    private static long liveRows(String tenant, String name) throws Exception {
        try (var s = db.prepareStatement(
                "SELECT count(*) FROM providers WHERE tenant_id = ? AND name = ? AND deleted_at IS NULL")) {
            s.setString(1, tenant);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String shorten(String text) {
        return text.length() <= 3000 ? text : text.substring(0, 3000) + "... (" + text.length() + " characters)";
    }
}
