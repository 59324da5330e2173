package io.integrationhub.registry.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.validation.ValidationException;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the real local PostgreSQL, in a database of its own. */
class ProviderRepositoryTest {
    private static final String K1 = MasterKeys.generateSpec("k1");
    private static final String K2 = MasterKeys.generateSpec("k2");
    private static TestDatabase testDatabase;
    private static Database database;
    private static ProviderRepository repository;
    private final ProviderValidator validator = new ProviderValidator(false);

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        repository = new ProviderRepository(database.jdbi(), new Sealer(MasterKeys.parse(K1, null)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        database.close();
        testDatabase.close();
    }

    private ProviderSpec spec(String name) {
        return validator.validateNew(json("""
                {"name": "%s", "type": "payment", "baseUrl": "https://api.example.test/v1",
                 "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key", "credentials": {"apiKey": "%s"}},
                 "config": {"timeoutMs": 2000, "retry": {"maxAttempts": 3}}}""".formatted(name, Canary.SECRET)));
    }

    @Test
    void createReadUpdateDeleteRoundTrip() {
        Provider created = repository.create("t-crud", spec("stripe"), ManagedBy.API);
        assertThat(created.version()).isEqualTo(1);
        assertThat(repository.find("t-crud", created.id())).contains(created);
        assertThat(repository.find("t-crud", "stripe")).contains(created);
        assertThat(repository.openCredentials(created).get("apiKey")).isEqualTo(Canary.SECRET);

        ProviderSpec changed = validator.validate(json("""
                {"name": "stripe", "type": "payment", "baseUrl": "https://api.example.test/v2",
                 "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key"}, "status": "disabled"}"""), AuthType.API_KEY, true);
        Provider updated = repository.update("t-crud", created.id(), changed, 1L);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.baseUrl()).endsWith("/v2");
        assertThat(updated.status()).isEqualTo(ProviderStatus.DISABLED);
        assertThat(repository.openCredentials(updated).get("apiKey"))
                .as("credentials kept when omitted")
                .isEqualTo(Canary.SECRET);
        assertThat(repository.find("t-crud", "stripe")).contains(updated);

        repository.softDelete("t-crud", created.id(), 2L);
        assertThat(repository.find("t-crud", created.id())).isEmpty();
        assertThat(repository.findAnyById(created.id()))
                .get()
                .extracting(Provider::isDeleted)
                .isEqualTo(true);
        // The name of a deleted provider may be used again.
        assertThat(repository.create("t-crud", spec("stripe"), ManagedBy.API).id())
                .isNotEqualTo(created.id());
    }

    /** Whoever writes (REST, gRPC, hubctl, the operator), the locked row is checked: kept credentials stay where they went. */
    @Test
    void anUpdateKeepingTheCredentialsCannotMoveWhereTheyAreSent() {
        Provider created = repository.create("t-move", spec("mover"), ManagedBy.OPERATOR);
        for (String baseUrl : List.of(
                "https://evil.test/v1", "https://api.example.test.evil.test/v1", "https://api.example.test:444/v1")) {
            ProviderSpec moved = validator.validate(json("""
                    {"name": "mover", "type": "payment", "baseUrl": "%s",
                     "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key"}}""".formatted(baseUrl)), AuthType.API_KEY, true);
            assertThatThrownBy(() -> repository.update("t-move", created.id(), moved, null))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("baseUrl")
                    .hasMessageContaining(CredentialDestination.RULE);
        }
        assertThat(repository.find("t-move", "mover").orElseThrow().version()).isEqualTo(1);
        ProviderSpec withCredentials = validator.validate(json("""
                {"name": "mover", "type": "payment", "baseUrl": "https://evil.test/v1",
                 "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key", "credentials": {"apiKey": "fresh"}}}"""), AuthType.API_KEY, true);
        assertThat(repository
                        .update("t-move", created.id(), withCredentials, null)
                        .baseUrl())
                .isEqualTo("https://evil.test/v1");
    }

    /** The operator waits out exactly this refusal (the target may be applied next), so it has a type of its own. */
    @Test
    void aRouteToAMissingProviderIsRefusedWithItsOwnTypeNamingTheEntry() {
        repository.create("t-route", spec("backup"), ManagedBy.API);
        ProviderSpec routed = validator.validateNew(json("""
                {"name": "primary", "type": "payment", "baseUrl": "https://api.example.test/v1",
                 "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key", "credentials": {"apiKey": "k"}},
                 "config": {"failover": {"to": ["backup", "ghost"]}}}"""));
        assertThatThrownBy(() -> repository.create("t-route", routed, ManagedBy.OPERATOR))
                .isInstanceOf(FailoverTargetMissingException.class)
                .extracting(e -> ((ValidationException) e).errors())
                .asList()
                .extracting("field")
                .containsExactly("config.failover.to[1]");
        assertThat(repository.find("t-route", "primary")).isEmpty();
    }

    @Test
    void theOriginComparisonFoldsCaseAndDefaultPorts() {
        assertThat(CredentialDestination.moved("https://A.test/x", null, "https://a.test:443/y", null))
                .isEmpty();
        assertThat(CredentialDestination.moved("http://a.test", null, "http://a.test:80/", null))
                .isEmpty();
        assertThat(CredentialDestination.moved("https://a.test", null, "https://a.test.evil", null))
                .contains("baseUrl");
        assertThat(CredentialDestination.moved("https://a.test", null, "https://user@evil.test", null))
                .contains("baseUrl");
        assertThat(CredentialDestination.moved(
                        "https://a.test", "https://a.test/t", "https://a.test", "https://a.test/t2"))
                .contains("auth.tokenUrl");
    }

    @Test
    void namesAreUniquePerTenantAmongLiveProviders() {
        repository.create("t-names-a", spec("twilio"), ManagedBy.API);
        assertThatThrownBy(() -> repository.create("t-names-a", spec("twilio"), ManagedBy.API))
                .isInstanceOf(ProviderNameTakenException.class);
        assertThat(repository.create("t-names-b", spec("twilio"), ManagedBy.API))
                .isNotNull();
    }

    @Test
    void aStaleVersionIsRefusedAndChangesNothing() {
        Provider created = repository.create("t-version", spec("sendgrid"), ManagedBy.API);
        repository.update("t-version", created.id(), spec("sendgrid"), 1L);
        assertThatThrownBy(() -> repository.update("t-version", created.id(), spec("renamed"), 1L))
                .isInstanceOf(StaleVersionException.class);
        assertThatThrownBy(() -> repository.softDelete("t-version", created.id(), 1L))
                .isInstanceOf(StaleVersionException.class);
        assertThat(repository.find("t-version", created.id()))
                .get()
                .extracting(Provider::name, Provider::version)
                .containsExactly("sendgrid", 2L);
    }

    @Test
    void anotherTenantNeitherFindsNorChangesAProvider() {
        Provider created = repository.create("t-owner", spec("adyen"), ManagedBy.API);
        assertThat(repository.find("t-other", created.id())).isEmpty();
        assertThat(repository.find("t-other", "adyen")).isEmpty();
        assertThat(repository.list("t-other", null, 100).items()).isEmpty();
        assertThatThrownBy(() -> repository.update("t-other", created.id(), spec("adyen"), null))
                .isInstanceOf(ProviderNotFoundException.class);
        assertThatThrownBy(() -> repository.softDelete("t-other", created.id(), null))
                .isInstanceOf(ProviderNotFoundException.class);
    }

    @Test
    void theSealedColumnNeverHoldsThePlaintext() throws Exception {
        Provider created = repository.create("t-sealed", spec("paypal"), ManagedBy.API);
        try (Connection connection = testDatabase.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT credentials_kid, credentials_sealed, auth::text, config::text FROM providers WHERE id = ?")) {
            statement.setString(1, created.id());
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("k1");
                assertThat(new String(row.getBytes(2), StandardCharsets.ISO_8859_1))
                        .doesNotContain(Canary.SECRET);
                assertThat(row.getString(3) + row.getString(4)).doesNotContain(Canary.SECRET);
            }
        }
    }

    @Test
    void rotationResealsEveryRowUnderTheNewKeyAndOldRowsOpenMeanwhile() {
        TestDatabase own = TestDatabase.create();
        try (Database db = Database.connectAndMigrate(own.settings())) {
            ProviderRepository before =
                    new ProviderRepository(db.jdbi(), new Sealer(MasterKeys.parse(K1, null)), Clock.systemUTC());
            Provider a = before.create("t-rotate", spec("one"), ManagedBy.API);
            before.create("t-rotate", spec("two"), ManagedBy.API);

            ProviderRepository after = new ProviderRepository(
                    db.jdbi(), new Sealer(MasterKeys.parse(K1 + "," + K2, "k2")), Clock.systemUTC());
            assertThat(after.openCredentials(after.find("t-rotate", a.id()).orElseThrow())
                            .get("apiKey"))
                    .isEqualTo(Canary.SECRET);
            assertThat(after.resealAll()).isEqualTo(2);
            assertThat(after.resealAll()).as("already current").isZero();

            ProviderRepository k2Only =
                    new ProviderRepository(db.jdbi(), new Sealer(MasterKeys.parse(K2, null)), Clock.systemUTC());
            for (Provider p : k2Only.list("t-rotate", null, 10).items()) {
                assertThat(p.sealedCredentials().keyId()).isEqualTo("k2");
                assertThat(k2Only.openCredentials(p).get("apiKey")).isEqualTo(Canary.SECRET);
            }
        } finally {
            own.close();
        }
    }

    @Test
    void everyWriteAppendsItsEventToTheOutboxWithoutCredentials() throws Exception {
        Provider created = repository.create("t-outbox", spec("braintree"), ManagedBy.API);
        repository.update("t-outbox", created.id(), spec("braintree"), null);
        repository.softDelete("t-outbox", created.id(), null);
        List<String> types = new ArrayList<>();
        try (Connection connection = testDatabase.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT type, payload::text FROM outbox WHERE aggregate_key = ? ORDER BY seq")) {
            statement.setString(1, created.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                    JsonNode event = Json.mapper().readTree(rows.getString(2));
                    assertThat(event.path("specversion").asText()).isEqualTo("1.0");
                    assertThat(event.path("data").path("providerId").asText()).isEqualTo(created.id());
                    assertThat(rows.getString(2)).doesNotContain(Canary.SECRET);
                }
            }
        }
        assertThat(types).containsExactly("provider.created", "provider.updated", "provider.deleted");
    }

    @Test
    void pagingReturnsEveryExistingRowExactlyOnceWhileRowsAreInsertedConcurrently() throws Exception {
        String tenant = "t-paging";
        Set<String> existing = new HashSet<>();
        for (int i = 0; i < 57; i++) {
            existing.add(repository.create(tenant, spec("p" + i), ManagedBy.API).id());
        }
        AtomicBoolean paging = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<Integer> inserted = writer.submit(() -> {
            int n = 0;
            while (paging.get()) {
                repository.create(tenant, spec("late" + n++), ManagedBy.API);
            }
            return n;
        });
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            Page<Provider> page = repository.list(tenant, after, 5);
            page.items().forEach(p -> seen.add(p.id()));
            after = page.nextAfterId();
            Thread.sleep(2); // let the writer interleave between pages
        } while (after != null);
        paging.set(false);
        assertThat(inserted.get()).isPositive();
        writer.shutdown();

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(existing);
        assertThat(seen).isSorted();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
