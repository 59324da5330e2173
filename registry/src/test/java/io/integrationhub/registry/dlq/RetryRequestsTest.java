package io.integrationhub.registry.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import io.integrationhub.registry.dlq.RetryRequests.RunClaim;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The durable retry path and the purge, against the real local PostgreSQL. */
class RetryRequestsTest {
    private static TestDatabase testDatabase;
    private static Database database;
    private static Sealer sealer;
    private static DeadLetterRepository entries;
    private static RetryRequests retries;
    private static String providerId;

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        sealer = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null));
        entries = new DeadLetterRepository(database.jdbi(), sealer, Clock.systemUTC());
        retries = new RetryRequests(database.jdbi(), Clock.systemUTC());
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

    private static DeadLetter park(DeadLetterRepository repository, String tenant) {
        return repository
                .jdbi()
                .inTransaction(handle -> repository.park(
                        handle,
                        tenant,
                        providerId,
                        "key-" + System.nanoTime(),
                        new FailedRequest(
                                "POST", "/v1/charges", null, Map.of(), "application/json", "{\"amount\":1}".getBytes()),
                        new LastError("upstream_status", 500, "the provider answered 500"),
                        3));
    }

    private static DeadLetter park() {
        return park(entries, "t1");
    }

    private static List<RetryRequest> publishedRequests() throws IOException {
        List<RetryRequest> published = new ArrayList<>();
        retries.publishDue(1000, published::addAll);
        return published;
    }

    private static long events(String type, String entryId) {
        return database.jdbi()
                .withHandle(handle -> handle.createQuery(
                                "SELECT count(*) FROM outbox WHERE type = :type AND payload->'data'->>'dlqEntryId' = :id")
                        .bind("type", type)
                        .bind("id", entryId)
                        .mapTo(Long.class)
                        .one());
    }

    @Test
    void concurrentRetryRequestsForOneEntryQueueItOnce() throws Exception {
        DeadLetter entry = park();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RetryRequests.Requested>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return retries.request("t1", entry.id());
            }));
        }
        go.countDown();
        List<RetryRequests.Requested> answers = new ArrayList<>();
        for (Future<RetryRequests.Requested> result : results) {
            answers.add(result.get());
        }
        pool.shutdown();
        assertThat(answers)
                .filteredOn(a -> a instanceof RetryRequests.Requested.Queued)
                .hasSize(1);
        assertThat(answers)
                .filteredOn(a -> a instanceof RetryRequests.Requested.NotRetryable)
                .hasSize(7)
                .allMatch(a -> ((RetryRequests.Requested.NotRetryable) a).status() == DeadLetterStatus.RETRYING);
        assertThat(publishedRequests())
                .filteredOn(r -> r.entryId().equals(entry.id()))
                .hasSize(1);
        assertThat(events("dlq.entry.retried", entry.id())).isEqualTo(1);
        assertThat(retries.request("t2", entry.id())).isInstanceOf(RetryRequests.Requested.NotFound.class);
    }

    @Test
    void onlyTheCurrentTokenWithAFreeLeaseMayReplay() throws Exception {
        DeadLetter entry = park();
        retries.request("t1", entry.id());
        RetryRequest message = publishedRequests().stream()
                .filter(r -> r.entryId().equals(entry.id()))
                .findFirst()
                .orElseThrow();

        assertThat(retries.claimRun(message, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Claimed.class);
        // A duplicate of the message while the first run holds the lease: busy, not a second run.
        assertThat(retries.claimRun(message, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Busy.class);
        retries.finish(message, new LastError("provider_gone", null, "the provider no longer exists"));
        assertThat(entries.find("t1", entry.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.FAILED);
        assertThat(events("dlq.entry.failed", entry.id())).isEqualTo(1);
        // A late duplicate after the run ended is stale.
        assertThat(retries.claimRun(message, Duration.ofMinutes(5)))
                .isEqualTo(new RunClaim.Stale(DeadLetterStatus.FAILED));

        // Retried again: the old message stays stale, the new one may run.
        retries.request("t1", entry.id());
        RetryRequest second = publishedRequests().stream()
                .filter(r -> r.entryId().equals(entry.id()))
                .findFirst()
                .orElseThrow();
        assertThat(retries.claimRun(message, Duration.ofMinutes(5)))
                .isEqualTo(new RunClaim.Stale(DeadLetterStatus.RETRYING));
        assertThat(retries.claimRun(
                        new RetryRequest(second.id(), entry.id(), "t2", second.token()), Duration.ofMinutes(5)))
                .isInstanceOf(RunClaim.Gone.class);
        assertThat(retries.claimRun(second, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Claimed.class);
    }

    @Test
    void aPutOffReplayIsQueuedAgainLaterAndGivesUpAfterTheLimit() throws Exception {
        DeadLetter entry = park();
        retries.request("t1", entry.id());
        RetryRequest message = publishedRequests().stream()
                .filter(r -> r.entryId().equals(entry.id()))
                .findFirst()
                .orElseThrow();
        assertThat(retries.claimRun(message, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Claimed.class);
        assertThat(retries.putOff(message, Duration.ofHours(1))).isTrue();
        assertThat(publishedRequests()).noneMatch(r -> r.entryId().equals(entry.id())); // not due yet
        RetryRequests later = new RetryRequests(database.jdbi(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        List<RetryRequest> due = new ArrayList<>();
        later.publishDue(1000, due::addAll);
        RetryRequest again = due.stream()
                .filter(r -> r.entryId().equals(entry.id()))
                .findFirst()
                .orElseThrow();
        assertThat(again.token()).isEqualTo(message.token());

        for (int i = 1; i < RetryRequests.MAX_DEFERRALS; i++) {
            assertThat(retries.claimRun(again, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Claimed.class);
            assertThat(retries.putOff(again, Duration.ZERO)).isTrue();
        }
        assertThat(retries.claimRun(again, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Claimed.class);
        assertThat(retries.putOff(again, Duration.ZERO)).isFalse();
        assertThat(entries.find("t1", entry.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
        publishedRequests();
    }

    @Test
    void aRetryWhoseMessageWasLostIsQueuedAgainAndFinallyFailsVisibly() throws Exception {
        DeadLetter entry = park();
        retries.request("t1", entry.id());
        RetryRequest lost = publishedRequests().stream()
                .filter(r -> r.entryId().equals(entry.id()))
                .findFirst()
                .orElseThrow();
        // The message left Postgres for the queue and never came back (a purged queue, a parked poison message).
        retries.requeueStuck(Duration.ofHours(1));
        assertThat(publishedRequests())
                .as("not stuck yet")
                .noneMatch(r -> r.entryId().equals(entry.id()));

        RetryRequests later = new RetryRequests(database.jdbi(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        later.requeueStuck(Duration.ofHours(1));
        later.requeueStuck(Duration.ofHours(1)); // a second sweeper (instance) finds nothing more to do
        List<RetryRequest> again = new ArrayList<>();
        later.publishDue(1000, again::addAll);
        assertThat(again)
                .filteredOn(r -> r.entryId().equals(entry.id()))
                .singleElement()
                .satisfies(r -> assertThat(r.token()).isEqualTo(lost.token()));

        // A replay holding the lease is not stuck, however old the entry.
        RetryRequests muchLater =
                new RetryRequests(database.jdbi(), Clock.offset(Clock.systemUTC(), Duration.ofHours(4)));
        assertThat(muchLater.claimRun(lost, Duration.ofHours(10))).isInstanceOf(RunClaim.Claimed.class);
        muchLater.requeueStuck(Duration.ofHours(1));
        List<RetryRequest> none = new ArrayList<>();
        muchLater.publishDue(1000, none::addAll);
        assertThat(none).noneMatch(r -> r.entryId().equals(entry.id()));

        // Lost again and again: past the deferral limit it ends failed, with an event, for an operator to see.
        database.jdbi()
                .useHandle(handle -> handle.createUpdate(
                                "UPDATE dlq_entries SET deferrals = :max, replay_lease_until = NULL WHERE id = :id")
                        .bind("max", RetryRequests.MAX_DEFERRALS)
                        .bind("id", entry.id())
                        .execute());
        RetryRequests.Swept swept = muchLater.requeueStuck(Duration.ofHours(1));
        assertThat(swept.failed()).isPositive();
        DeadLetter failed = entries.find("t1", entry.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(DeadLetterStatus.FAILED);
        assertThat(failed.lastError().kind()).isEqualTo("retry_lost");
        assertThat(events("dlq.entry.failed", entry.id())).isEqualTo(1);
        assertThat(retries.request("t1", entry.id()))
                .as("an operator can retry it again")
                .isInstanceOf(RetryRequests.Requested.Queued.class);
    }

    @Test
    void aFailingQueueKeepsTheRequestsForLater() throws Exception {
        DeadLetter entry = park();
        retries.request("t1", entry.id());
        assertThatThrownBy(() -> retries.publishDue(1000, requests -> {
                    throw new IOException("broker unreachable");
                }))
                .isInstanceOf(IOException.class);
        assertThat(publishedRequests())
                .filteredOn(r -> r.entryId().equals(entry.id()))
                .hasSize(1);
        assertThat(publishedRequests()).isEmpty();
    }

    @Test
    void retryAllQueuesOnlyPendingAndFailedEntriesMatchingTheFilterAndReportsProgress() throws Exception {
        String tenant = "t-batch";
        DeadLetterRepository repository = new DeadLetterRepository(database.jdbi(), sealer, Clock.systemUTC());
        DeadLetter a = park(repository, tenant);
        DeadLetter b = park(repository, tenant);
        DeadLetter c = park(repository, tenant);
        retries.request(tenant, c.id()); // already retrying: not part of the batch
        Instant afterA = repository.find(tenant, b.id()).orElseThrow().createdAt();

        RetryRequests.Batch batch =
                retries.requestAll(tenant, new DeadLetterFilter(providerId, Set.of(), afterA, null));
        assertThat(batch.queued()).isEqualTo(1); // b only: a is older, c is retrying
        assertThat(entries.find(tenant, a.id()).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
        assertThat(publishedRequests()).extracting(RetryRequest::entryId).containsExactlyInAnyOrder(b.id(), c.id());
        RetryRequests.BatchProgress progress =
                retries.progress(tenant, batch.id()).orElseThrow();
        assertThat(progress.queued()).isEqualTo(1);
        assertThat(progress.count(DeadLetterStatus.RETRYING)).isEqualTo(1);
        assertThat(retries.progress("t1", batch.id())).isEmpty();
        assertThat(events("dlq.entry.retried", b.id())).isEqualTo(1);
    }

    @Test
    void everyRequestIdAndTokenIsAUlidWhicheverPathQueuedIt() throws Exception {
        String tenant = "t-ids";
        DeadLetterRepository repository = new DeadLetterRepository(database.jdbi(), sealer, Clock.systemUTC());
        DeadLetter one = park(repository, tenant);
        park(repository, tenant);
        park(repository, tenant);
        retries.request(tenant, one.id());
        retries.requestAll(tenant, DeadLetterFilter.ALL);
        List<RetryRequest> queued = publishedRequests().stream()
                .filter(r -> r.tenantId().equals(tenant))
                .toList();
        assertThat(queued).hasSize(3);

        // Their messages died with an in-process queue: requeued as orphans, then as stuck.
        retries.requeueOrphans();
        List<RetryRequest> orphans = publishedRequests().stream()
                .filter(r -> r.tenantId().equals(tenant))
                .toList();
        assertThat(orphans).hasSize(3);
        RetryRequests later = new RetryRequests(database.jdbi(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        later.requeueStuck(Duration.ofHours(1));
        List<RetryRequest> due = new ArrayList<>();
        later.publishDue(1000, due::addAll);
        List<RetryRequest> stuck =
                due.stream().filter(r -> r.tenantId().equals(tenant)).toList();
        assertThat(stuck).hasSize(3);

        // And put off once: queued again for later.
        RetryRequest putOff = stuck.getFirst();
        assertThat(retries.claimRun(putOff, Duration.ofMinutes(5))).isInstanceOf(RunClaim.Claimed.class);
        assertThat(retries.putOff(putOff, Duration.ZERO)).isTrue();
        List<RetryRequest> again = publishedRequests().stream()
                .filter(r -> r.tenantId().equals(tenant))
                .toList();
        assertThat(again).hasSize(1);

        List<RetryRequest> all = new ArrayList<>(queued);
        all.addAll(orphans);
        all.addAll(stuck);
        all.addAll(again);
        assertThat(all).allSatisfy(r -> {
            assertThat(Ids.looksLikeId(r.id())).as("request id %s", r.id()).isTrue();
            assertThat(Ids.looksLikeId(r.token())).as("token %s", r.token()).isTrue();
        });
        assertThat(all).extracting(RetryRequest::id).doesNotHaveDuplicates();
    }

    @Test
    void deletingAnEntryUnlinksItsIdempotencyRecordAndIsRefusedWhileRetrying() {
        DeadLetter entry = park();
        database.jdbi()
                .useHandle(handle -> handle.createUpdate("""
                INSERT INTO idempotency_records (tenant_id, provider_id, idempotency_key, fingerprint, state, dlq_entry_id,
                                                 created_at, updated_at, expires_at)
                VALUES ('t1', :provider, :key, 'f', 'dead_lettered', :entry, now(), now(), now())""")
                        .bind("provider", providerId)
                        .bind("key", entry.idempotencyKey())
                        .bind("entry", entry.id())
                        .execute());
        assertThat(entries.delete("t2", entry.id())).isEmpty();
        assertThat(entries.delete("t1", entry.id())).isPresent();
        assertThat(entries.find("t1", entry.id())).isEmpty();
        assertThat(events("dlq.entry.deleted", entry.id())).isEqualTo(1);
        long linked = database.jdbi()
                .withHandle(handle -> handle.createQuery(
                                "SELECT count(*) FROM idempotency_records WHERE dlq_entry_id = :id")
                        .bind("id", entry.id())
                        .mapTo(Long.class)
                        .one());
        assertThat(linked).isZero();

        DeadLetter retrying = park();
        retries.request("t1", retrying.id());
        assertThat(entries.delete("t1", retrying.id())).isEmpty();
        assertThat(entries.find("t1", retrying.id())).isPresent();
    }

    @Test
    void expiredEntriesArePurgedByOneCallerAtMostOncePerInterval() throws Exception {
        Clock monthAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(31)), ZoneOffset.UTC);
        DeadLetterRepository old = new DeadLetterRepository(database.jdbi(), sealer, monthAgo);
        List<String> expired = List.of(
                park(old, "t1").id(), park(old, "t1").id(), park(old, "t3").id());
        DeadLetter fresh = park();

        DeadLetterPurge purge = new DeadLetterPurge(database.jdbi(), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<java.util.OptionalInt>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> {
                go.await();
                return purge.runIfDue(Duration.ofDays(1));
            }));
        }
        go.countDown();
        int ran = 0;
        int purged = 0;
        for (Future<java.util.OptionalInt> run : runs) {
            if (run.get().isPresent()) {
                ran++;
                purged += run.get().getAsInt();
            }
        }
        pool.shutdown();
        assertThat(ran).isEqualTo(1);
        assertThat(purged).isEqualTo(3);
        assertThat(expired)
                .allSatisfy(id -> assertThat(events("dlq.entry.deleted", id)).isEqualTo(1));
        assertThat(entries.find("t1", fresh.id())).isPresent();
        assertThat(purge.runIfDue(Duration.ofDays(1))).isEmpty(); // ran less than a day ago
        DeadLetterPurge tomorrow =
                new DeadLetterPurge(database.jdbi(), Clock.offset(Clock.systemUTC(), Duration.ofDays(1)));
        assertThat(tomorrow.runIfDue(Duration.ofDays(1))).hasValue(0);
    }
}
