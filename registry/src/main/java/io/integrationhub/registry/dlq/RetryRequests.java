package io.integrationhub.registry.dlq;

import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.outbox.OutboxWriter;
import io.integrationhub.registry.provider.WireName;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The durable half of the DLQ retry path. Asking for a retry marks the entry {@code retrying} under
 * a fresh token (only from {@code pending} or {@code failed}: a double click or a concurrent
 * retry-all finds nothing to mark) and writes a retry request in the SAME transaction, with the
 * {@code dlq.entry.retried} event. A relay publishes due requests to the retry queue and deletes
 * them once the broker confirmed; while the queue is unreachable they wait here. A consumer may
 * replay an entry only for the current token and while it holds the replay lease, so duplicate
 * messages and several consumers never replay one entry twice at once.
 */
public final class RetryRequests {
    /** How often a replay may be put off (limit, open circuit, key in flight) before the entry goes back to pending. */
    public static final int MAX_DEFERRALS = 20;

    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final Clock clock;

    public RetryRequests(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.outbox = new OutboxWriter(clock);
        this.clock = clock;
    }

    /** What asking for the retry of one entry did. */
    public sealed interface Requested {
        /** The entry is now retrying and its request waits for the queue. */
        record Queued(DeadLetter entry) implements Requested {}

        /** No such entry in the tenant. */
        record NotFound() implements Requested {}

        /** The entry is retrying already, or succeeded: nothing was queued. */
        record NotRetryable(DeadLetterStatus status) implements Requested {}
    }

    /** A retry-all request: its id, how many entries it queued, when. */
    public record Batch(String id, int queued, Instant createdAt) {}

    /** Where the entries of a batch stand now; entries since deleted or retried again are no longer counted. */
    public record BatchProgress(String id, int queued, Instant createdAt, Map<DeadLetterStatus, Integer> counts) {
        public BatchProgress {
            counts = Map.copyOf(counts);
        }

        public int count(DeadLetterStatus status) {
            return counts.getOrDefault(status, 0);
        }
    }

    /** One queued replay of one entry, as published to the retry queue. */
    public record RetryRequest(String id, String entryId, String tenantId, String token) {}

    /** Receives due requests; returns only when the queue holds them durably (publisher confirms). */
    @FunctionalInterface
    public interface Sink {
        void publish(List<RetryRequest> requests) throws IOException;
    }

    /** What a consumer may do with a message. */
    public sealed interface RunClaim {
        /** The message is current and the lease is this consumer's: replay. */
        record Claimed(DeadLetter entry) implements RunClaim {}

        /** The entry no longer exists (deleted or purged): a poison message. */
        record Gone() implements RunClaim {}

        /** Another token is current or the entry left retrying: a stale duplicate, nothing to do. */
        record Stale(DeadLetterStatus status) implements RunClaim {}

        /** Another consumer holds the lease until {@code until} (or crashed while holding it). */
        record Busy(Instant until) implements RunClaim {}
    }

    public Requested request(String tenantId, String entryId) {
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            String token = Ids.newId();
            Optional<DeadLetter> marked = handle.createQuery("""
                            UPDATE dlq_entries SET status = 'retrying', retry_token = :token, retry_batch_id = NULL,
                                   replay_lease_until = NULL, deferrals = 0, version = version + 1, updated_at = :now
                             WHERE id = :id AND tenant_id = :tenantId AND status IN ('pending', 'failed')
                            RETURNING """ + " " + DeadLetterRepository.COLUMNS)
                    .bind("token", token)
                    .bind("now", now)
                    .bind("id", entryId)
                    .bind("tenantId", tenantId)
                    .map(DeadLetterRepository::map)
                    .findOne();
            if (marked.isEmpty()) {
                return handle.createQuery("SELECT status FROM dlq_entries WHERE id = :id AND tenant_id = :tenantId")
                        .bind("id", entryId)
                        .bind("tenantId", tenantId)
                        .mapTo(String.class)
                        .findOne()
                        .<Requested>map(status -> new Requested.NotRetryable(
                                WireName.parse(DeadLetterStatus.class, status).orElseThrow()))
                        .orElseGet(Requested.NotFound::new);
            }
            DeadLetter entry = marked.get();
            queue(handle, List.of(new Retrying(entry.id(), tenantId, token)), now, now);
            outbox.append(
                    handle, entry.providerId(), "dlq.entry.retried", tenantId, DeadLetterRepository.eventData(entry));
            return new Requested.Queued(entry);
        });
    }

    /**
     * Marks every pending or failed entry of the tenant matching {@code filter} retrying, queues a
     * request for each, and records the batch, all in one transaction.
     */
    public Batch requestAll(String tenantId, DeadLetterFilter filter) {
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            String batchId = Ids.newId();
            // Locked first, so that each entry gets its token from Ids (a concurrent retry-all waits
            // here, then finds the entries retrying and skips them, as the single UPDATE did).
            List<Retrying> toMark = filter.bind(handle.createQuery("""
                            SELECT id FROM dlq_entries
                             WHERE tenant_id = :tenantId AND status IN ('pending', 'failed')""" + filter.sql() + " ORDER BY id FOR UPDATE")
                            .bind("tenantId", tenantId))
                    .mapTo(String.class)
                    .map(id -> new Retrying(id, tenantId, Ids.newId()))
                    .list();
            List<DeadLetter> marked = handle.createQuery(
                            """
                            WITH marked AS (
                                UPDATE dlq_entries SET status = 'retrying', retry_token = m.new_token,
                                       retry_batch_id = :batchId, replay_lease_until = NULL, deferrals = 0,
                                       version = version + 1, updated_at = :now
                                  FROM unnest(:ids, :tokens) AS m(entry_id, new_token)
                                 WHERE dlq_entries.id = m.entry_id AND dlq_entries.status IN ('pending', 'failed')
                                RETURNING dlq_entries.*)
                            SELECT""" + " " + DeadLetterRepository.COLUMNS + " FROM marked ORDER BY id")
                    .bind("batchId", batchId)
                    .bind("now", now)
                    .bindArray(
                            "ids",
                            String.class,
                            toMark.stream().map(Retrying::entryId).toList())
                    .bindArray(
                            "tokens",
                            String.class,
                            toMark.stream().map(Retrying::token).toList())
                    .map(DeadLetterRepository::map)
                    .list();
            queue(handle, toMark, now, now);
            for (DeadLetter entry : marked) {
                outbox.append(
                        handle,
                        entry.providerId(),
                        "dlq.entry.retried",
                        tenantId,
                        DeadLetterRepository.eventData(entry).put("retryBatchId", batchId));
            }
            var filterJson = Json.mapper().createObjectNode();
            if (filter.providerId() != null) {
                filterJson.put("providerId", filter.providerId());
            }
            filter.statuses().stream().map(WireName::of).sorted().forEach(filterJson.withArray("statuses")::add);
            if (filter.createdFrom() != null) {
                filterJson.put("createdFrom", filter.createdFrom().toString());
            }
            if (filter.createdTo() != null) {
                filterJson.put("createdTo", filter.createdTo().toString());
            }
            handle.createUpdate("""
                    INSERT INTO dlq_retry_batches (id, tenant_id, queued, filter, created_at)
                    VALUES (:id, :tenantId, :queued, CAST(:filter AS jsonb), :now)""")
                    .bind("id", batchId)
                    .bind("tenantId", tenantId)
                    .bind("queued", marked.size())
                    .bind("filter", filterJson.toString())
                    .bind("now", now)
                    .execute();
            return new Batch(batchId, marked.size(), now);
        });
    }

    public Optional<BatchProgress> progress(String tenantId, String batchId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT queued, created_at FROM dlq_retry_batches WHERE id = :id AND tenant_id = :tenantId")
                .bind("id", batchId)
                .bind("tenantId", tenantId)
                .map((rs, ctx) -> new Object[] {
                    rs.getInt("queued"), rs.getTimestamp("created_at").toInstant()
                })
                .findOne()
                .map(row -> {
                    Map<DeadLetterStatus, Integer> counts = new EnumMap<>(DeadLetterStatus.class);
                    handle.createQuery("""
                                    SELECT status, count(*) AS n FROM dlq_entries
                                     WHERE retry_batch_id = :id AND tenant_id = :tenantId GROUP BY status""")
                            .bind("id", batchId)
                            .bind("tenantId", tenantId)
                            .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getInt("n")))
                            .forEach(e -> counts.put(
                                    WireName.parse(DeadLetterStatus.class, e.getKey())
                                            .orElseThrow(),
                                    e.getValue()));
                    return new BatchProgress(batchId, (Integer) row[0], (Instant) row[1], counts);
                }));
    }

    /**
     * Hands up to {@code limit} due requests to {@code sink} and deletes them once it returned, in one
     * transaction holding their rows ({@code SKIP LOCKED}: several relays share the work). If the sink
     * fails nothing is deleted and the requests are offered again later. If the commit fails after
     * the sink returned, they are published twice; consumers drop the duplicate (token and lease).
     *
     * @return how many requests were published
     */
    public int publishDue(int limit, Sink sink) throws IOException {
        return jdbi.inTransaction(handle -> {
            List<RetryRequest> due = handle.createQuery("""
                            SELECT id, entry_id, tenant_id, token FROM dlq_retry_requests
                             WHERE not_before <= :now ORDER BY not_before, id LIMIT :limit FOR UPDATE SKIP LOCKED""")
                    .bind("now", now())
                    .bind("limit", limit)
                    .map((rs, ctx) -> new RetryRequest(
                            rs.getString("id"),
                            rs.getString("entry_id"),
                            rs.getString("tenant_id"),
                            rs.getString("token")))
                    .list();
            if (due.isEmpty()) {
                return 0;
            }
            sink.publish(due);
            handle.createUpdate("DELETE FROM dlq_retry_requests WHERE id = ANY(:ids)")
                    .bindArray(
                            "ids",
                            String.class,
                            due.stream().map(RetryRequest::id).toList())
                    .execute();
            return due.size();
        });
    }

    /** Requests not yet published (due or delayed). */
    public long waiting() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM dlq_retry_requests")
                .mapTo(Long.class)
                .one());
    }

    /** Takes the replay lease of the entry a message names, if the message is current and no one else holds it. */
    public RunClaim claimRun(RetryRequest message, Duration lease) {
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            Optional<DeadLetter> claimed = handle.createQuery("""
                            UPDATE dlq_entries SET replay_lease_until = :until
                             WHERE id = :id AND tenant_id = :tenantId AND status = 'retrying' AND retry_token = :token
                               AND (replay_lease_until IS NULL OR replay_lease_until <= :now)
                            RETURNING """ + " " + DeadLetterRepository.COLUMNS)
                    .bind("until", now.plus(lease))
                    .bind("now", now)
                    .bind("id", message.entryId())
                    .bind("tenantId", message.tenantId())
                    .bind("token", message.token())
                    .map(DeadLetterRepository::map)
                    .findOne();
            if (claimed.isPresent()) {
                return new RunClaim.Claimed(claimed.get());
            }
            return handle.createQuery("""
                            SELECT status, retry_token, replay_lease_until FROM dlq_entries WHERE id = :id AND tenant_id = :tenantId""")
                    .bind("id", message.entryId())
                    .bind("tenantId", message.tenantId())
                    .map((rs, ctx) -> {
                        DeadLetterStatus status = WireName.parse(DeadLetterStatus.class, rs.getString("status"))
                                .orElseThrow();
                        java.sql.Timestamp leaseUntil = rs.getTimestamp("replay_lease_until");
                        if (status == DeadLetterStatus.RETRYING
                                && message.token().equals(rs.getString("retry_token"))
                                && leaseUntil != null) {
                            return (RunClaim) new RunClaim.Busy(leaseUntil.toInstant());
                        }
                        return new RunClaim.Stale(status);
                    })
                    .findOne()
                    .orElseGet(RunClaim.Gone::new);
        });
    }

    /**
     * The lease holder could not replay now (limit, open circuit, key in flight, provider disabled):
     * the lease is released and the request queued again after {@code delay}. After
     * {@link #MAX_DEFERRALS} the entry goes back to pending instead, for a later retry.
     *
     * @return false when the entry went back to pending (or changed meanwhile)
     */
    public boolean putOff(RetryRequest message, Duration delay) {
        return putOff(message, deferral -> delay);
    }

    /** As {@link #putOff(RetryRequest, Duration)}, the delay depending on how often the replay was put off (1, 2, ...). */
    public boolean putOff(RetryRequest message, IntFunction<Duration> delay) {
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            Optional<Integer> deferrals = handle.createQuery("""
                            UPDATE dlq_entries SET replay_lease_until = NULL, deferrals = deferrals + 1
                             WHERE id = :id AND tenant_id = :tenantId AND status = 'retrying' AND retry_token = :token
                            RETURNING deferrals""")
                    .bind("id", message.entryId())
                    .bind("tenantId", message.tenantId())
                    .bind("token", message.token())
                    .mapTo(Integer.class)
                    .findOne();
            if (deferrals.isEmpty()) {
                return false;
            }
            if (deferrals.get() > MAX_DEFERRALS) {
                handle.createUpdate("""
                        UPDATE dlq_entries SET status = 'pending', retry_token = NULL, version = version + 1, updated_at = :now
                         WHERE id = :id AND tenant_id = :tenantId""")
                        .bind("now", now)
                        .bind("id", message.entryId())
                        .bind("tenantId", message.tenantId())
                        .execute();
                return false;
            }
            queueAgain(handle, message, now.plus(delay.apply(deferrals.get())), now);
            return true;
        });
    }

    /** Another consumer holds the lease: look again when it expires (it may have crashed). */
    public void waitForLease(RetryRequest message, Instant until) {
        jdbi.useTransaction(handle -> {
            Instant now = now();
            queueAgain(handle, message, until.isAfter(now) ? until : now, now);
        });
    }

    /**
     * Ends a replay: the token and lease are dropped. An entry still {@code retrying} (the replay
     * could not run: provider gone, request unreadable, key used for another request) ends
     * {@code failed} with {@code failure}, appending {@code dlq.entry.failed}.
     */
    public void finish(RetryRequest message, LastError failure) {
        jdbi.useTransaction(handle -> {
            Instant now = now();
            if (failure != null) {
                Optional<DeadLetter> failed = handle.createQuery("""
                                UPDATE dlq_entries SET status = 'failed', last_error_kind = :kind, last_error_status = :status,
                                       last_error_message = :message, version = version + 1, updated_at = :now
                                 WHERE id = :id AND tenant_id = :tenantId AND status = 'retrying' AND retry_token = :token
                                RETURNING """ + " " + DeadLetterRepository.COLUMNS)
                        .bind("kind", failure.kind())
                        .bind("status", failure.status())
                        .bind("message", failure.message())
                        .bind("now", now)
                        .bind("id", message.entryId())
                        .bind("tenantId", message.tenantId())
                        .bind("token", message.token())
                        .map(DeadLetterRepository::map)
                        .findOne();
                failed.ifPresent(entry -> outbox.append(
                        handle,
                        entry.providerId(),
                        "dlq.entry.failed",
                        entry.tenantId(),
                        DeadLetterRepository.eventData(entry)));
            }
            handle.createUpdate("""
                    UPDATE dlq_entries SET retry_token = NULL, replay_lease_until = NULL
                     WHERE id = :id AND tenant_id = :tenantId AND retry_token = :token AND status <> 'retrying'""")
                    .bind("id", message.entryId())
                    .bind("tenantId", message.tenantId())
                    .bind("token", message.token())
                    .execute();
        });
    }

    /**
     * Queues again every retrying entry that has no request waiting (for the in-process queue, whose
     * messages die with the process). Returns how many were queued.
     */
    public int requeueOrphans() {
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            List<Retrying> orphans =
                    handle.createQuery("""
                            SELECT e.id, e.tenant_id, e.retry_token FROM dlq_entries e
                             WHERE e.status = 'retrying' AND e.retry_token IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM dlq_retry_requests r WHERE r.entry_id = e.id)""").map(RetryRequests::retrying).list();
            return queue(handle, orphans, now, now);
        });
    }

    /**
     * Entries left {@code retrying} for longer than {@code stuckFor} with no request waiting in
     * Postgres and no replay holding the lease: their message was lost or parked outside the hub
     * (a purged queue, a poison message). Each is queued again with its token (a duplicate of a
     * message still on its way is dropped by the token and lease guards), counting a deferral;
     * past {@link #MAX_DEFERRALS} it ends {@code failed} ({@code retry_lost}) so an operator sees it,
     * instead of an entry that can be neither retried nor deleted.
     *
     * @return how many were queued again and how many failed
     */
    public Swept requeueStuck(Duration stuckFor) {
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            String stuck = """
                    e.status = 'retrying' AND e.retry_token IS NOT NULL AND e.updated_at < :stuckBefore
                    AND (e.replay_lease_until IS NULL OR e.replay_lease_until <= :now)
                    AND NOT EXISTS (SELECT 1 FROM dlq_retry_requests r WHERE r.entry_id = e.id)""";
            List<DeadLetter> failed = handle.createQuery(
                            """
                            UPDATE dlq_entries e SET status = 'failed', retry_token = NULL, last_error_kind = 'retry_lost',
                                   last_error_status = NULL, last_error_message = :message, version = version + 1, updated_at = :now
                             WHERE e.deferrals >= :max""" + " AND " + stuck + " RETURNING " + DeadLetterRepository.COLUMNS)
                    .bind("message", "the retry was not carried out (its message was lost or parked); retry it again")
                    .bind("max", MAX_DEFERRALS)
                    .bind("stuckBefore", now.minus(stuckFor))
                    .bind("now", now)
                    .map(DeadLetterRepository::map)
                    .list();
            failed.forEach(entry -> outbox.append(
                    handle,
                    entry.providerId(),
                    "dlq.entry.failed",
                    entry.tenantId(),
                    DeadLetterRepository.eventData(entry)));
            List<Retrying> requeued = handle.createQuery(
                            """
                            UPDATE dlq_entries e SET deferrals = deferrals + 1, updated_at = :now
                             WHERE""" + " " + stuck + " RETURNING e.id, e.tenant_id, e.retry_token")
                    .bind("stuckBefore", now.minus(stuckFor))
                    .bind("now", now)
                    .map(RetryRequests::retrying)
                    .list();
            return new Swept(queue(handle, requeued, now, now), failed.size());
        });
    }

    /** What {@link #requeueStuck(Duration)} did. */
    public record Swept(int queued, int failed) {}

    private static void queueAgain(Handle handle, RetryRequest message, Instant notBefore, Instant now) {
        queue(handle, List.of(new Retrying(message.entryId(), message.tenantId(), message.token())), notBefore, now);
    }

    /** An entry retrying under a token, for which a request is to be queued. */
    private record Retrying(String entryId, String tenantId, String token) {}

    private static Retrying retrying(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Retrying(rs.getString("id"), rs.getString("tenant_id"), rs.getString("retry_token"));
    }

    /**
     * The one place that writes retry requests: one per entry, its id from {@link Ids} like every
     * other hub record. An entry that is no longer retrying under that token (it ended, or was retried
     * again meanwhile) gets none.
     *
     * @return how many requests were queued
     */
    private static int queue(Handle handle, List<Retrying> entries, Instant notBefore, Instant now) {
        if (entries.isEmpty()) {
            return 0;
        }
        return handle.createUpdate("""
                INSERT INTO dlq_retry_requests (id, entry_id, tenant_id, token, not_before, created_at)
                SELECT q.request_id, e.id, e.tenant_id, e.retry_token, :notBefore, :now
                  FROM unnest(:requestIds, :entryIds, :tenantIds, :tokens) AS q(request_id, entry_id, tenant_id, token)
                  JOIN dlq_entries e ON e.id = q.entry_id AND e.tenant_id = q.tenant_id
                                    AND e.status = 'retrying' AND e.retry_token = q.token""")
                .bindArray(
                        "requestIds",
                        String.class,
                        entries.stream().map(entry -> Ids.newId()).toList())
                .bindArray(
                        "entryIds",
                        String.class,
                        entries.stream().map(Retrying::entryId).toList())
                .bindArray(
                        "tenantIds",
                        String.class,
                        entries.stream().map(Retrying::tenantId).toList())
                .bindArray(
                        "tokens",
                        String.class,
                        entries.stream().map(Retrying::token).toList())
                .bind("notBefore", notBefore)
                .bind("now", now)
                .execute();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
