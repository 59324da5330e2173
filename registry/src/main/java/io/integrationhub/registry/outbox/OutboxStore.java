package io.integrationhub.registry.outbox;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The relay's side of the outbox: unsent rows in {@code seq} order, marking them sent, cleaning sent
 * rows after their retention, and the advisory lock that lets one relay at a time publish. The lock
 * is session-level: it belongs to the connection of the handle that took it, and Postgres releases
 * it when that connection ends, so a crashed instance hands the relay over to another.
 */
public final class OutboxStore {
    /** The advisory lock key of the relay (any fixed number unique among the hub's locks). */
    static final long RELAY_LOCK_KEY = 0x6875622d_6f757462L;

    private final Jdbi jdbi;

    public OutboxStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Takes the relay lock on the handle's connection if no other session holds it. */
    public boolean tryLeadership(Handle handle) {
        return handle.createQuery("SELECT pg_try_advisory_lock(:key)")
                .bind("key", RELAY_LOCK_KEY)
                .mapTo(Boolean.class)
                .one();
    }

    public void releaseLeadership(Handle handle) {
        handle.createQuery("SELECT pg_advisory_unlock(:key)")
                .bind("key", RELAY_LOCK_KEY)
                .mapTo(Boolean.class)
                .one();
    }

    /** Up to {@code limit} unsent rows, oldest first. */
    public List<OutboxEvent> unsent(Handle handle, int limit) {
        return handle.createQuery("""
                        SELECT seq, event_id, aggregate_key, type, payload->>'tenantid' AS tenant_id, payload::text AS payload
                          FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT :limit""")
                .bind("limit", limit)
                .map((rs, ctx) -> new OutboxEvent(
                        rs.getLong("seq"),
                        rs.getString("event_id"),
                        rs.getString("aggregate_key"),
                        rs.getString("type"),
                        rs.getString("tenant_id"),
                        rs.getString("payload")))
                .list();
    }

    public void markSent(Handle handle, List<Long> seqs, Instant at) {
        handle.createUpdate("UPDATE outbox SET sent_at = :at WHERE seq = ANY(:seqs)")
                .bind("at", at)
                .bindArray("seqs", Long.class, seqs)
                .execute();
    }

    /** Deletes up to {@code limit} rows sent before {@code cutoff}; returns how many. */
    public int deleteSentBefore(Handle handle, Instant cutoff, int limit) {
        return handle.createUpdate("""
                        DELETE FROM outbox WHERE seq IN (
                            SELECT seq FROM outbox WHERE sent_at IS NOT NULL AND sent_at < :cutoff ORDER BY seq LIMIT :limit)""")
                .bind("cutoff", cutoff)
                .bind("limit", limit)
                .execute();
    }

    /** Rows not yet published (for health and tests). */
    public long unsentCount() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
                .mapTo(Long.class)
                .one());
    }
}
