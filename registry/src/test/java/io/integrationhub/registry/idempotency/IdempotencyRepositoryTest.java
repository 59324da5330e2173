package io.integrationhub.registry.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims of idempotency keys against the real local PostgreSQL: what each state of a key answers. */
class IdempotencyRepositoryTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static TestDatabase testDatabase;
    private static Database database;
    private static IdempotencyRepository keys;

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        keys = new IdempotencyRepository(
                database.jdbi(), new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        database.close();
        testDatabase.close();
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void aNewKeyIsClaimedAndCommittedBeforeTheClaimReturns() throws Exception {
        String key = newKey();
        assertThat(keys.claim("t1", "p1", key, "fp", LEASE)).isEqualTo(new Claim.Proceed(null));
        // Seen from another connection: committed, not merely written in a transaction still open.
        try (Connection other = testDatabase.connect();
                PreparedStatement q =
                        other.prepareStatement("SELECT state FROM idempotency_records WHERE idempotency_key = ?")) {
            q.setString(1, key);
            try (ResultSet row = q.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("in_flight");
            }
        }
    }

    @Test
    void aKeyInFlightIsRefusedAndAnotherRequestWithItIsAMismatch() {
        String key = newKey();
        keys.claim("t1", "p1", key, "fp", LEASE);
        assertThat(keys.claim("t1", "p1", key, "fp", LEASE)).isInstanceOf(Claim.InFlight.class);
        assertThat(keys.claim("t1", "p1", key, "other", LEASE)).isInstanceOf(Claim.Mismatch.class);
        assertThat(keys.claim("t2", "p1", key, "other", LEASE))
                .as("another tenant's key")
                .isEqualTo(new Claim.Proceed(null));
    }

    @Test
    void aCompletedKeyIsReplayedAndAReleasedOneIsFreeAgain() {
        String completed = newKey();
        keys.claim("t1", "p1", completed, "fp", LEASE);
        keys.complete(
                "t1",
                "p1",
                completed,
                new StoredResponse(
                        201, Map.of("Content-Type", List.of("application/json")), "{\"id\":\"ch_1\"}".getBytes()));
        Claim replay = keys.claim("t1", "p1", completed, "fp", LEASE);
        assertThat(replay).isInstanceOf(Claim.Replay.class);
        assertThat(((Claim.Replay) replay).response().status()).isEqualTo(201);

        String released = newKey();
        Claim.Proceed claim = (Claim.Proceed) keys.claim("t1", "p1", released, "fp", LEASE);
        keys.release("t1", "p1", released, claim);
        assertThat(keys.state("t1", "p1", released)).isEmpty();
        assertThat(keys.claim("t1", "p1", released, "fp", LEASE)).isEqualTo(new Claim.Proceed(null));
    }

    @Test
    void aKeyWhoseOwnerDiedIsTakenOverAfterItsLease() {
        String key = newKey();
        keys.claim("t1", "p1", key, "fp", Duration.ZERO);
        assertThat(keys.claim("t1", "p1", key, "fp", LEASE)).isEqualTo(new Claim.Proceed(null));
        assertThat(keys.claim("t1", "p1", key, "fp", LEASE)).isInstanceOf(Claim.InFlight.class);
    }

    @Test
    void ofManyConcurrentClaimsOfOneKeyExactlyOneProceeds() throws Exception {
        String key = newKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Callable<Claim> claim = () -> {
                go.await();
                return keys.claim("t1", "p1", key, "fp", LEASE);
            };
            List<Future<Claim>> running = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                running.add(pool.submit(claim));
            }
            go.countDown();
            int proceeded = 0;
            for (Future<Claim> f : running) {
                Claim c = f.get();
                if (c instanceof Claim.Proceed) {
                    proceeded++;
                } else {
                    assertThat(c).isInstanceOf(Claim.InFlight.class);
                }
            }
            assertThat(proceeded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inOneBatchConcurrentClaimsOfOneKeyHaveExactlyOneWinnerAndDistinctKeysAreEachClaimed() throws Exception {
        // A repository of its own, so that its batches are this test's alone.
        IdempotencyRepository batching = new IdempotencyRepository(
                database.jdbi(), new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null)), Clock.systemUTC());
        List<String> blockers = List.of(newKey(), newKey());
        String contested = newKey();
        List<String> distinct = List.of(newKey(), newKey(), newKey(), newKey(), newKey());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (Connection other = testDatabase.connect()) {
            // Uncommitted records of the blockers' keys hold the first two batches (their INSERTs wait for this
            // transaction): with both batches that may run at once held, the claims below all queue for the next.
            other.setAutoCommit(false);
            try (PreparedStatement hold = other.prepareStatement("""
                    INSERT INTO idempotency_records (tenant_id, provider_id, idempotency_key, fingerprint, state,
                                                     lease_until, created_at, updated_at, expires_at)
                    VALUES ('t1', 'p1', ?, 'fp', 'in_flight', now(), now(), now(), now())""")) {
                for (String blocker : blockers) {
                    hold.setString(1, blocker);
                    hold.executeUpdate();
                }
            }
            List<Future<Claim>> held = new java.util.ArrayList<>();
            for (String blocker : blockers) {
                held.add(pool.submit(() -> batching.claim("t1", "p1", blocker, "fp", LEASE)));
                int started = held.size();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> batching.claimBatches().batches() == started
                                && batching.claimBatches().waiting() == 0);
            }
            List<Future<Claim>> sameKey = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sameKey.add(pool.submit(() -> batching.claim("t1", "p1", contested, "fp", LEASE)));
            }
            List<Future<Claim>> distinctKeys = new java.util.ArrayList<>();
            for (String key : distinct) {
                distinctKeys.add(pool.submit(() -> batching.claim("t1", "p1", key, "fp", LEASE)));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> batching.claimBatches().waiting() == 13);
            other.rollback(); // the held batches go on, then the 13 claims go together

            for (Future<Claim> f : held) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(new Claim.Proceed(null));
            }
            int proceeded = 0;
            for (Future<Claim> f : sameKey) {
                Claim c = f.get(20, TimeUnit.SECONDS);
                if (c instanceof Claim.Proceed) {
                    proceeded++;
                } else {
                    assertThat(c).isInstanceOf(Claim.InFlight.class);
                }
            }
            assertThat(proceeded).as("one winner of the 8 claims of one key").isEqualTo(1);
            for (Future<Claim> f : distinctKeys) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(new Claim.Proceed(null));
            }
            assertThat(batching.claimBatches().batches()).isEqualTo(3);
            assertThat(batching.claimBatches().largestBatch())
                    .as("all 13 in the third batch")
                    .isEqualTo(13);
            for (String key : distinct) {
                assertThat(batching.state("t1", "p1", key)).contains("in_flight");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCompletionsEachKeepTheirOwnAnswer() throws Exception {
        List<String> claimed = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String key = newKey();
            assertThat(keys.claim("t1", "p1", key, "fp", LEASE)).isEqualTo(new Claim.Proceed(null));
            claimed.add(key);
        }
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> completing = new java.util.ArrayList<>();
            for (int i = 0; i < claimed.size(); i++) {
                int status = 200 + i;
                String key = claimed.get(i);
                completing.add(pool.submit(() -> {
                    go.await();
                    keys.complete(
                            "t1",
                            "p1",
                            key,
                            new StoredResponse(status, Map.of(), ("{\"n\":" + status + "}").getBytes()));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : completing) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < claimed.size(); i++) {
            Claim replay = keys.claim("t1", "p1", claimed.get(i), "fp", LEASE);
            assertThat(replay).isInstanceOf(Claim.Replay.class);
            StoredResponse answer = ((Claim.Replay) replay).response();
            assertThat(answer.status()).isEqualTo(200 + i);
            assertThat(new String(answer.body())).isEqualTo("{\"n\":" + (200 + i) + "}");
        }
    }
}
