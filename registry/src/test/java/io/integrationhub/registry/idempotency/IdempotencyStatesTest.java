package io.integrationhub.registry.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.testkit.StoppedClock;
import io.integrationhub.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The key's state table, against the real local PostgreSQL with a clock the test moves: what a claim
 * finds for each state a key can be in, with the same or another request, now or after the lease
 * or the replay window.
 */
class IdempotencyStatesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String DLQ_ENTRY = "01JDLQENTRY0000000000000001";
    private static TestDatabase testDatabase;
    private static Database database;
    private static Sealer sealer;

    private final StoppedClock clock = new StoppedClock(Instant.now());
    private IdempotencyRepository keys;
    private String key;

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        sealer = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null));
    }

    @AfterAll
    static void stop() {
        database.close();
        testDatabase.close();
    }

    @BeforeEach
    void freshKey() {
        keys = new IdempotencyRepository(database.jdbi(), sealer, clock);
        key = "key-" + UUID.randomUUID();
    }

    /** Puts the key in {@code state} (as the call path does), with the request fingerprint "fp". */
    private void prepare(String state) {
        switch (state) {
            case "new" -> {}
            case "in_flight" -> keys.claim("t1", "p1", key, "fp", LEASE);
            case "completed" -> {
                keys.claim("t1", "p1", key, "fp", LEASE);
                keys.complete("t1", "p1", key, new StoredResponse(201, Map.of(), "{}".getBytes()));
            }
            case "dead_lettered" -> {
                keys.claim("t1", "p1", key, "fp", LEASE);
                database.jdbi().useHandle(handle -> keys.deadLettered(handle, "t1", "p1", key, DLQ_ENTRY));
            }
            case "released" -> keys.release("t1", "p1", key, (Claim.Proceed) keys.claim("t1", "p1", key, "fp", LEASE));
            default -> throw new IllegalArgumentException(state);
        }
    }

    @ParameterizedTest(name = "{0}, fingerprint {1}, {2} later -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "new           | fp    | PT0S    | proceed",
                "in_flight     | fp    | PT0S    | in-flight",
                "in_flight     | other | PT0S    | mismatch",
                "in_flight     | fp    | PT29S   | in-flight",
                // The owner died: after its lease another caller with the same request takes the key over.
                "in_flight     | fp    | PT31S   | proceed",
                "in_flight     | other | PT31S   | mismatch",
                "completed     | fp    | PT0S    | replay",
                "completed     | other | PT0S    | mismatch",
                "completed     | fp    | PT23H   | replay",
                // Past the replay window the key starts a new life, whatever the request.
                "completed     | fp    | PT24H1S | proceed",
                "completed     | other | PT24H1S | proceed",
                "in_flight     | other | PT24H1S | proceed",
                // A dead-lettered call runs again with the same request, carrying its DLQ entry; never expires.
                "dead_lettered | fp    | PT0S    | proceed dlq",
                "dead_lettered | other | PT0S    | mismatch",
                "dead_lettered | fp    | PT48H   | proceed dlq",
                "released      | fp    | PT0S    | proceed",
                "released      | other | PT0S    | proceed",
            })
    void whatAClaimFinds(String state, String fingerprint, Duration later, String expected) {
        prepare(state);
        clock.advance(later);
        Claim claim = keys.claim("t1", "p1", key, fingerprint, LEASE);
        assertThat(describe(claim)).isEqualTo(expected);
    }

    @Test
    void aReleasedTakeOverOfADeadLetteredKeyParksItAgain() {
        prepare("dead_lettered");
        Claim.Proceed takeOver = (Claim.Proceed) keys.claim("t1", "p1", key, "fp", LEASE);
        assertThat(keys.state("t1", "p1", key)).hasValue("in_flight");
        keys.release("t1", "p1", key, takeOver);
        assertThat(keys.state("t1", "p1", key)).hasValue("dead_lettered");
        assertThat(describe(keys.claim("t1", "p1", key, "fp", LEASE))).isEqualTo("proceed dlq");
    }

    @ParameterizedTest(name = "a replay of status {0} with body {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "200 | '{\"id\":\"ch_1\"}'",
                "201 | ''",
                "204 | none",
                "404 | '\u0000\u00ff binary \r\n'",
            })
    void aReplayIsTheStoredAnswerExactly(int status, String body) {
        keys.claim("t1", "p1", key, "fp", LEASE);
        Map<String, List<String>> headers =
                Map.of("Content-Type", List.of("application/json"), "Link", List.of("<a>", "<b>"));
        byte[] bytes = body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        keys.complete("t1", "p1", key, new StoredResponse(status, headers, bytes));
        StoredResponse replayed = ((Claim.Replay) keys.claim("t1", "p1", key, "fp", LEASE)).response();
        assertThat(replayed.status()).isEqualTo(status);
        assertThat(replayed.headers()).isEqualTo(headers);
        assertThat(replayed.body()).isEqualTo(bytes);
        assertThat(replayed.bodyKept()).isEqualTo(bytes != null);
    }

    @Test
    void keysAreScopedToTheirTenantAndProvider() {
        prepare("completed");
        assertThat(describe(keys.claim("t2", "p1", key, "other", LEASE))).isEqualTo("proceed");
        assertThat(describe(keys.claim("t1", "p2", key, "other", LEASE))).isEqualTo("proceed");
        assertThat(describe(keys.claim("t1", "p1", key, "fp", LEASE))).isEqualTo("replay");
    }

    private static String describe(Claim claim) {
        return switch (claim) {
            case Claim.Proceed proceed ->
                proceed.dlqEntryId() == null
                        ? "proceed"
                        : proceed.dlqEntryId().equals(DLQ_ENTRY) ? "proceed dlq" : "proceed " + proceed.dlqEntryId();
            case Claim.Replay replay -> "replay";
            case Claim.InFlight inFlight -> "in-flight";
            case Claim.Mismatch mismatch -> "mismatch";
        };
    }
}
