package io.integrationhub.registry.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The two writes every keyed call makes, group-committed across concurrent calls ({@link GroupCommit}):
 * the claim of a new key (one {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} for the whole batch)
 * and the completion (one {@code UPDATE ... FROM unnest(...)}). Each batch is one statement in
 * autocommit, so one transaction, committed (durable, synchronous_commit as configured) before any
 * caller in it returns; the arrays keep one statement text whatever the batch size, so the driver
 * prepares it once per connection.
 */
final class BatchedKeyWrites {
    /** Enough for every call in flight on one instance at once; more wait for the next batch. */
    static final int MAX_BATCH = 128;
    /**
     * Batches of one kind committed at once: two, so that a caller arriving while a batch commits starts its
     * own rather than waiting for that commit too (PostgreSQL flushes concurrent commits together).
     */
    static final int BATCHES_AT_ONCE = 2;

    /** A key to claim if nobody holds it yet. */
    record NewClaim(String tenantId, String providerId, String key, String fingerprint, Duration lease) {
        String id() {
            return idOf(tenantId, providerId, key);
        }
    }

    /** A provider's answer, sealed, to keep for replays. */
    record Completion(String tenantId, String providerId, String key, int status, String keyId, byte[] sealed) {}

    private static final Comparator<NewClaim> LOCK_ORDER = Comparator.comparing(NewClaim::tenantId)
            .thenComparing(NewClaim::providerId)
            .thenComparing(NewClaim::key);

    private static final String INSERT_CLAIMS = """
            INSERT INTO idempotency_records (tenant_id, provider_id, idempotency_key, fingerprint, state, lease_until,
                                             created_at, updated_at, expires_at)
            SELECT c.tenant_id, c.provider_id, c.idempotency_key, c.fingerprint, 'in_flight', c.lease_until, ?, ?, ?
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) WITH ORDINALITY
                   AS c(tenant_id, provider_id, idempotency_key, fingerprint, lease_until, n)
             ORDER BY c.n
            ON CONFLICT DO NOTHING
            RETURNING tenant_id, provider_id, idempotency_key""";

    private static final String UPDATE_COMPLETIONS = """
            UPDATE idempotency_records r
               SET state = 'completed', lease_until = NULL, response_status = c.status, response_kid = c.kid,
                   response_sealed = c.sealed, updated_at = ?, expires_at = ?
              FROM unnest(?::text[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::bytea[])
                   AS c(tenant_id, provider_id, idempotency_key, status, kid, sealed)
             WHERE r.tenant_id = c.tenant_id AND r.provider_id = c.provider_id AND r.idempotency_key = c.idempotency_key""";

    private final Jdbi jdbi;
    private final Supplier<Instant> now;
    private final Duration replayWindow;
    private final GroupCommit<NewClaim, Boolean> claims;
    private final GroupCommit<Completion, Boolean> completions;

    BatchedKeyWrites(Jdbi jdbi, Supplier<Instant> now, Duration replayWindow) {
        this.jdbi = jdbi;
        this.now = now;
        this.replayWindow = replayWindow;
        this.claims = new GroupCommit<>(this::insertClaims, MAX_BATCH, BATCHES_AT_ONCE);
        this.completions = new GroupCommit<>(this::updateCompletions, MAX_BATCH, BATCHES_AT_ONCE);
    }

    /**
     * Inserts the claim unless a record of its key exists: true when this caller now holds the key.
     * Of several claims of one key in a batch only the first is inserted; the others find it (false)
     * and take the per-key path, as a claim arriving just after it would.
     */
    boolean claimIfNew(NewClaim claim) {
        return claims.submit(claim);
    }

    /** Keeps the answer of a key's owner. */
    void complete(Completion completion) {
        completions.submit(completion);
    }

    GroupCommit.Stats claimStats() {
        return claims.stats();
    }

    private List<Boolean> insertClaims(List<NewClaim> batch) {
        // One row per key (the first claim of it), in one order on every instance: two batches that share keys
        // lock them in the same order and cannot deadlock.
        Map<String, NewClaim> firsts = new LinkedHashMap<>();
        batch.forEach(c -> firsts.putIfAbsent(c.id(), c));
        List<NewClaim> rows = new ArrayList<>(firsts.values());
        rows.sort(LOCK_ORDER);
        Instant at = now.get();
        Set<String> inserted = jdbi.withHandle(handle -> {
            Connection connection = handle.getConnection();
            try (PreparedStatement insert = connection.prepareStatement(INSERT_CLAIMS)) {
                insert.setObject(1, at.atOffset(ZoneOffset.UTC));
                insert.setObject(2, at.atOffset(ZoneOffset.UTC));
                insert.setObject(3, at.plus(replayWindow).atOffset(ZoneOffset.UTC));
                insert.setArray(4, texts(connection, rows, NewClaim::tenantId));
                insert.setArray(5, texts(connection, rows, NewClaim::providerId));
                insert.setArray(6, texts(connection, rows, NewClaim::key));
                insert.setArray(7, texts(connection, rows, NewClaim::fingerprint));
                insert.setArray(
                        8,
                        connection.createArrayOf(
                                "timestamptz",
                                rows.stream()
                                        .map(c -> at.plus(c.lease()).toString())
                                        .toArray(String[]::new)));
                Set<String> ids = new HashSet<>();
                try (ResultSet returned = insert.executeQuery()) {
                    while (returned.next()) {
                        ids.add(idOf(returned.getString(1), returned.getString(2), returned.getString(3)));
                    }
                }
                return ids;
            } catch (SQLException e) {
                throw failed(e);
            }
        });
        List<Boolean> results = new ArrayList<>(batch.size());
        for (NewClaim claim : batch) {
            results.add(firsts.get(claim.id()) == claim && inserted.contains(claim.id()));
        }
        return results;
    }

    private List<Boolean> updateCompletions(List<Completion> batch) {
        // Two completions of one key in a batch (an owner whose lease ran out and the caller that took the key over)
        // update its record once, with either answer, as two separate updates racing would.
        Instant at = now.get();
        jdbi.useHandle(handle -> {
            Connection connection = handle.getConnection();
            try (PreparedStatement update = connection.prepareStatement(UPDATE_COMPLETIONS)) {
                update.setObject(1, at.atOffset(ZoneOffset.UTC));
                update.setObject(2, at.plus(replayWindow).atOffset(ZoneOffset.UTC));
                update.setArray(3, texts(connection, batch, Completion::tenantId));
                update.setArray(4, texts(connection, batch, Completion::providerId));
                update.setArray(5, texts(connection, batch, Completion::key));
                update.setArray(
                        6,
                        connection.createArrayOf(
                                "int4", batch.stream().map(Completion::status).toArray(Integer[]::new)));
                update.setArray(7, texts(connection, batch, Completion::keyId));
                update.setArray(
                        8,
                        connection.createArrayOf(
                                "bytea", batch.stream().map(Completion::sealed).toArray(byte[][]::new)));
                update.executeUpdate();
            } catch (SQLException e) {
                throw failed(e);
            }
        });
        return Collections.nCopies(batch.size(), Boolean.TRUE);
    }

    /** A record's identity (its primary key) as one string: NUL cannot occur in a PostgreSQL text. */
    private static String idOf(String tenantId, String providerId, String key) {
        return tenantId + '\u0000' + providerId + '\u0000' + key;
    }

    /** The driver's exception as the cause (DatabaseFailures reads its SQLState there). */
    private static RuntimeException failed(SQLException e) {
        return new IllegalStateException("a batched idempotency write failed: " + e.getMessage(), e);
    }

    private static <T> java.sql.Array texts(
            Connection connection, List<T> rows, java.util.function.Function<T, String> field) throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(field).toArray(String[]::new));
    }
}
