package io.integrationhub.dataplane;

import io.helidon.config.Config;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenIssuer;
import io.integrationhub.dataplane.config.Settings;
import io.integrationhub.dataplane.config.SettingsLoader;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.TestDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real data plane for tests: a fresh database on the local PostgreSQL, settings read through the
 * same {@link SettingsLoader} as production, listening on a free port. When it closes, every event
 * on its Kafka topic (if it has one) goes into the {@link Canary} journal, and its database is
 * scanned for the canary as it is dropped.
 */
public final class TestHub implements AutoCloseable {
    public static final String JWT_SECRET = "test-secret-of-at-least-thirty-two-bytes!";
    private static final String MASTER_KEYS = MasterKeys.generateSpec("test1");

    private final TestDatabase database;
    private final boolean ownsDatabase;
    private final Settings settings;
    private final Hub hub;
    private final HubClient client;
    private final TokenIssuer issuer = new TokenIssuer(JWT_SECRET);

    private TestHub(TestDatabase database, boolean ownsDatabase, Map<String, String> overrides, Hub.Options options) {
        Canary.captureLogs();
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        Map<String, String> env = new HashMap<>();
        env.put("INTEGRATION_HTTP_PORT", "0");
        env.put("INTEGRATION_HTTP_HOST", "127.0.0.1");
        env.put("INTEGRATION_DB_URL", database.url());
        env.put("INTEGRATION_DB_USER", database.settings().user());
        env.put("INTEGRATION_DB_PASSWORD", database.settings().password());
        env.put("INTEGRATION_MASTER_KEYS", MASTER_KEYS);
        env.put("INTEGRATION_JWT_SECRET", JWT_SECRET);
        env.put("INTEGRATION_ALLOW_INSECURE_HTTP", "true"); // WireMock plays the providers over plain http
        // Each instance owns its spool directory (a lock enforces it); a test that restarts a hub on one passes its
        // own.
        env.put("INTEGRATION_SPOOL_DIR", temporarySpoolDirectory().toString());
        env.putAll(overrides);
        this.settings = new SettingsLoader(env::get, Config.empty()).load();
        this.hub = Hub.start(settings, Config.empty(), options);
        this.client = new HubClient(hub.baseUri());
    }

    private static java.nio.file.Path temporarySpoolDirectory() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hub-spool");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A hub on a database of its own. */
    public static TestHub start(Map<String, String> overrides) {
        return start(overrides, Hub.Options.defaults());
    }

    /** A hub on a database of its own, with test doubles (sleeper, clock, resolver). */
    public static TestHub start(Map<String, String> overrides, Hub.Options options) {
        return new TestHub(TestDatabase.create(), true, overrides, options);
    }

    /** A hub on {@code database} (prepared by the caller), which it drops when it closes. */
    public static TestHub owning(TestDatabase database, Map<String, String> overrides) {
        return new TestHub(database, true, overrides, Hub.Options.defaults());
    }

    /** Another instance on the same database (e.g. to test what crosses instances). */
    public static TestHub sharing(TestDatabase database, Map<String, String> overrides, Hub.Options options) {
        return new TestHub(database, false, overrides, options);
    }

    public HubClient client() {
        return client;
    }

    /** A client of the management port (/metrics, /health). */
    public HubClient management() {
        return new HubClient(java.net.URI.create("http://127.0.0.1:" + hub.managementPort()));
    }

    public TestDatabase database() {
        return database;
    }

    public Hub hub() {
        return hub;
    }

    public String token(String tenant, Scope... scopes) {
        return token("test", Duration.ofMinutes(10), tenant, scopes);
    }

    /** A token for {@code subject}, valid for {@code lifetime} (a long suite outlives the default ten minutes). */
    public String token(String subject, Duration lifetime, String tenant, Scope... scopes) {
        return issuer.issue(subject, tenant, lifetime, scopes);
    }

    /** Seals credentials with this hub's master keys, for writing rows as another component would. */
    public Sealer sealer() {
        return new Sealer(MasterKeys.parse(MASTER_KEYS, null));
    }

    /** A token of the module's (its {@code module} claim; the subject is another name, so the claim must win). */
    public String moduleToken(String tenant, String module, Scope... scopes) {
        return issuer.issue("svc-account-" + module, tenant, module, Duration.ofMinutes(10), scopes);
    }

    /** A token with every scope. */
    public String adminToken(String tenant) {
        return token(tenant, Scope.values());
    }

    @Override
    public void close() {
        hub.close();
        if (settings.kafka().enabled()) {
            try {
                KafkaTopicScan.read(
                                settings.kafka().bootstrap(), settings.kafka().topic())
                        .forEach(e -> Canary.record(e.source(), e.text()));
            } catch (RuntimeException e) {
                Canary.scanFailed("kafka topic " + settings.kafka().topic() + " on "
                        + settings.kafka().bootstrap() + ": " + e);
            }
        }
        if (ownsDatabase) {
            database.close();
        }
    }
}
