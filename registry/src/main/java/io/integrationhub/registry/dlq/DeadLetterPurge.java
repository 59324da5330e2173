package io.integrationhub.registry.dlq;

import io.integrationhub.registry.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Deletes dead letters past {@code expires_at} (created + 30 days). However many instances call
 * {@link #runIfDue}, one at a time runs it (a Postgres advisory lock) and at most once per interval
 * (the last run is recorded in {@code maintenance_runs}). Each purged entry appends
 * {@code dlq.entry.deleted} with reason {@code expired}, so event consumers can drop it too.
 */
public final class DeadLetterPurge {
    /** The advisory lock key of this job (any fixed number unique among the hub's locks). */
    static final long LOCK_KEY = 0x6875622d_70757267L;

    static final String JOB = "dlq-purge";
    private static final int BATCH = 500;

    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final Clock clock;

    public DeadLetterPurge(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.outbox = new OutboxWriter(clock);
        this.clock = clock;
    }

    /**
     * Purges expired entries unless another instance is doing it right now or it ran less than
     * {@code interval} ago.
     *
     * @return how many entries were purged, or empty when this call did not run the purge
     */
    public OptionalInt runIfDue(Duration interval) {
        try (Handle handle = jdbi.open()) {
            boolean locked = handle.createQuery("SELECT pg_try_advisory_lock(:key)")
                    .bind("key", LOCK_KEY)
                    .mapTo(Boolean.class)
                    .one();
            if (!locked) {
                return OptionalInt.empty();
            }
            try {
                Instant now = now();
                Optional<Instant> last = handle.createQuery("SELECT last_run_at FROM maintenance_runs WHERE job = :job")
                        .bind("job", JOB)
                        .mapTo(Instant.class)
                        .findOne();
                if (last.isPresent() && last.get().plus(interval).isAfter(now)) {
                    return OptionalInt.empty();
                }
                int total = 0;
                int purged;
                do {
                    purged = handle.inTransaction(h -> purgeBatch(h, now));
                    total += purged;
                } while (purged == BATCH);
                handle.createUpdate("DELETE FROM dlq_retry_batches WHERE created_at < :cutoff")
                        .bind("cutoff", now.minus(DeadLetterRepository.RETENTION))
                        .execute();
                handle.createUpdate("""
                        INSERT INTO maintenance_runs (job, last_run_at) VALUES (:job, :now)
                        ON CONFLICT (job) DO UPDATE SET last_run_at = EXCLUDED.last_run_at""").bind("job", JOB).bind("now", now).execute();
                return OptionalInt.of(total);
            } finally {
                handle.createQuery("SELECT pg_advisory_unlock(:key)")
                        .bind("key", LOCK_KEY)
                        .mapTo(Boolean.class)
                        .one();
            }
        }
    }

    private int purgeBatch(Handle handle, Instant now) {
        List<DeadLetter> purged = handle.createQuery("""
                        DELETE FROM dlq_entries WHERE id IN (
                            SELECT id FROM dlq_entries WHERE expires_at < :now ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING""" + " " + DeadLetterRepository.COLUMNS)
                .bind("now", now)
                .bind("limit", BATCH)
                .map(DeadLetterRepository::map)
                .list();
        if (purged.isEmpty()) {
            return 0;
        }
        DeadLetterRepository.unlinkIdempotency(
                handle, purged.stream().map(DeadLetter::id).toList());
        for (DeadLetter entry : purged) {
            outbox.append(
                    handle,
                    entry.providerId(),
                    "dlq.entry.deleted",
                    entry.tenantId(),
                    DeadLetterRepository.eventData(entry).put("reason", "expired"));
        }
        return purged.size();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
