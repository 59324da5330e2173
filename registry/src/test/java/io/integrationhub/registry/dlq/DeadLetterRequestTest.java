package io.integrationhub.registry.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealed;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A dead letter's request comes back byte for byte, however large, and rows written before the binary format still open. */
class DeadLetterRequestTest {
    private static TestDatabase testDatabase;
    private static Database database;
    private static Sealer sealer;
    private static DeadLetterRepository entries;
    private static String providerId;

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        sealer = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null));
        entries = new DeadLetterRepository(database.jdbi(), sealer, Clock.systemUTC());
        providerId = new ProviderRepository(database.jdbi(), sealer, Clock.systemUTC())
                .create(
                        "t1",
                        new ProviderValidator(false)
                                .validateNew(Json.mapper()
                                        .createObjectNode()
                                        .put("name", "psp")
                                        .put("type", "payment")
                                        .put("baseUrl", "https://psp.example.test")
                                        .set(
                                                "auth",
                                                Json.mapper().createObjectNode().put("type", "none"))),
                        ManagedBy.API)
                .id();
    }

    @AfterAll
    static void stop() {
        database.close();
        testDatabase.close();
    }

    private static DeadLetter park(FailedRequest request) {
        return entries.jdbi()
                .inTransaction(handle -> entries.park(
                        handle,
                        "t1",
                        providerId,
                        "key-" + System.nanoTime(),
                        request,
                        new LastError("upstream_status", 503, "the provider answered 503"),
                        1));
    }

    @Test
    void aThirtyMebibyteBodyComesBackExactly() {
        byte[] body = new byte[30 * 1024 * 1024];
        new Random(7).nextBytes(body);
        FailedRequest request =
                new FailedRequest("POST", "/v1/files", "a=1", Map.of("X-Trace", List.of("t")), "application/pdf", body);
        FailedRequest opened = entries.openRequest(park(request));
        assertThat(opened.body()).isEqualTo(body);
        assertThat(opened.method()).isEqualTo("POST");
        assertThat(opened.query()).isEqualTo("a=1");
        assertThat(opened.contentType()).isEqualTo("application/pdf");
        assertThat(opened.headers()).containsEntry("X-Trace", List.of("t"));
    }

    @Test
    void aRowInTheEarlierJsonFormatStillOpens() {
        DeadLetter entry =
                park(new FailedRequest("POST", "/v1/charges", null, Map.of(), "application/json", new byte[] {1}));
        byte[] earlier =
                ("{\"method\":\"POST\",\"path\":\"/v1/charges\",\"query\":null,\"contentType\":\"application/json\","
                                + "\"body\":\""
                                + Base64.getEncoder().encodeToString("{\"amount\":1}".getBytes(StandardCharsets.UTF_8))
                                + "\",\"headers\":{}}")
                        .getBytes(StandardCharsets.UTF_8);
        Sealed sealed = sealer.seal(earlier, new Sealer.Owner("t1", entry.id()));
        entries.jdbi()
                .useHandle(handle -> handle.createUpdate(
                                "UPDATE dlq_entries SET request_kid = :kid, request_sealed = :sealed"
                                        + " WHERE id = :id")
                        .bind("kid", sealed.keyId())
                        .bind("sealed", sealed.bytes())
                        .bind("id", entry.id())
                        .execute());
        FailedRequest opened = entries.openRequest(entry);
        assertThat(new String(opened.body(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":1}");
        assertThat(opened.query()).isNull();
    }
}
