package io.integrationhub.registry.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.HeaderMaps;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.Sealed;
import io.integrationhub.registry.crypto.Sealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Idempotency records keyed by tenant + provider + key. A claim is taken in one transaction before
 * the upstream call; the record then ends as completed (replayed for 24 h), dead-lettered (a later
 * call runs again), or is released when the hub refused the call before reaching the provider.
 */
public final class IdempotencyRepository {
    /** How long a completed call is replayed. */
    public static final Duration REPLAY_WINDOW = Duration.ofHours(24);

    private final Jdbi jdbi;
    private final Sealer sealer;
    private final Clock clock;
    /** The claims of new keys and the completions, group-committed across concurrent calls. */
    private final BatchedKeyWrites batched;

    public IdempotencyRepository(Jdbi jdbi, Sealer sealer, Clock clock) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.clock = clock;
        this.batched = new BatchedKeyWrites(jdbi, this::now, REPLAY_WINDOW);
    }

    /**
     * Claims a key for a request with the given fingerprint.
     *
     * @param lease how long the claim blocks the key if its owner dies without finishing
     */
    public Claim claim(String tenantId, String providerId, String key, String fingerprint, Duration lease) {
        // Nearly every key is new: one INSERT claims it, batched with the claims of the calls arriving at the
        // same moment (one statement, one commit for all of them), committed (and durable, synchronous_commit
        // as configured) before it returns. A key seen before takes the transaction below, which reads the
        // record under a row lock.
        if (batched.claimIfNew(new BatchedKeyWrites.NewClaim(tenantId, providerId, key, fingerprint, lease))) {
            return new Claim.Proceed(null);
        }
        return jdbi.inTransaction(handle -> {
            Instant now = now();
            // Again: the record found a moment ago may have been released (deleted) since.
            if (insertClaim(handle, tenantId, providerId, key, fingerprint, lease, now) == 1) {
                return new Claim.Proceed(null);
            }
            Map<String, Object> row = handle.createQuery("""
                    SELECT fingerprint, state, lease_until, response_kid, response_sealed, dlq_entry_id, expires_at
                      FROM idempotency_records
                     WHERE tenant_id = :tenantId AND provider_id = :providerId AND idempotency_key = :key FOR UPDATE""")
                    .bindMap(keyOf(tenantId, providerId, key))
                    .mapToMap()
                    .one();
            String state = (String) row.get("state");
            if (instant(row.get("expires_at")).isBefore(now) && !state.equals("dead_lettered")) {
                // A finished record past its replay window: the key starts a new life.
                retake(handle, tenantId, providerId, key, fingerprint, now.plus(lease), now);
                return new Claim.Proceed(null);
            }
            if (!fingerprint.equals(row.get("fingerprint"))) {
                return new Claim.Mismatch();
            }
            String dlqEntryId = (String) row.get("dlq_entry_id");
            switch (state) {
                case "completed" -> {
                    Sealed sealed = new Sealed((String) row.get("response_kid"), (byte[]) row.get("response_sealed"));
                    return new Claim.Replay(readResponse(sealer.open(sealed, owner(tenantId, providerId, key))));
                }
                case "in_flight" -> {
                    if (instant(row.get("lease_until")).isAfter(now)) {
                        return new Claim.InFlight();
                    }
                }
                default -> {}
            }
            // A dead-lettered call, or an in-flight one whose owner died: this caller takes it over.
            handle.createUpdate("""
                    UPDATE idempotency_records SET state = 'in_flight', lease_until = :leaseUntil, updated_at = :now
                     WHERE tenant_id = :tenantId AND provider_id = :providerId AND idempotency_key = :key""")
                    .bindMap(keyOf(tenantId, providerId, key))
                    .bind("leaseUntil", now.plus(lease))
                    .bind("now", now)
                    .execute();
            return new Claim.Proceed(dlqEntryId);
        });
    }

    /** The provider answered: keep its answer for replays. */
    public void complete(String tenantId, String providerId, String key, StoredResponse response) {
        Sealed sealed = sealer.seal(responseBytes(response), owner(tenantId, providerId, key));
        // Batched with the completions of concurrent calls: one UPDATE and one commit for all of them.
        batched.complete(new BatchedKeyWrites.Completion(
                tenantId, providerId, key, response.status(), sealed.keyId(), sealed.bytes()));
    }

    /** The call ended in the DLQ (within the caller's transaction): a later call with the key runs again. */
    public void deadLettered(Handle handle, String tenantId, String providerId, String key, String dlqEntryId) {
        handle.createUpdate("""
                UPDATE idempotency_records SET state = 'dead_lettered', lease_until = NULL, dlq_entry_id = :dlq,
                       updated_at = :now, expires_at = :expires
                 WHERE tenant_id = :tenantId AND provider_id = :providerId AND idempotency_key = :key""")
                .bindMap(keyOf(tenantId, providerId, key))
                .bind("dlq", dlqEntryId)
                .bind("now", now())
                .bind("expires", now().plus(REPLAY_WINDOW))
                .execute();
    }

    /**
     * The hub refused the call before any upstream request (rate limit, open circuit...): the key is
     * free again, or back to dead-lettered when an earlier run had parked it.
     */
    public void release(String tenantId, String providerId, String key, Claim.Proceed claim) {
        jdbi.useHandle(handle -> {
            if (claim.dlqEntryId() == null) {
                handle.createUpdate("""
                        DELETE FROM idempotency_records
                         WHERE tenant_id = :tenantId AND provider_id = :providerId AND idempotency_key = :key
                           AND state = 'in_flight'""")
                        .bindMap(keyOf(tenantId, providerId, key))
                        .execute();
            } else {
                deadLettered(handle, tenantId, providerId, key, claim.dlqEntryId());
            }
        });
    }

    /** The record that holds a dead letter's key: its provider and the fingerprint it was claimed with. */
    public record Owner(String providerId, String fingerprint) {}

    /**
     * The record holding {@code key} that points at dead letter {@code dlqEntryId}: it belongs to the
     * first provider of a failed-over call's route, which differs from the entry's provider when the
     * call moved on before it was parked.
     */
    public Optional<Owner> ownerOf(String tenantId, String key, String dlqEntryId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT provider_id, fingerprint FROM idempotency_records
                 WHERE tenant_id = :tenantId AND idempotency_key = :key AND dlq_entry_id = :dlq
                 ORDER BY provider_id LIMIT 1""")
                .bind("tenantId", tenantId)
                .bind("key", key)
                .bind("dlq", dlqEntryId)
                .map((rs, ctx) -> new Owner(rs.getString("provider_id"), rs.getString("fingerprint")))
                .findOne());
    }

    /** The claim batches written so far: for tests and diagnostics. */
    GroupCommit.Stats claimBatches() {
        return batched.claimStats();
    }

    /** The state of a key, for tests and diagnostics. */
    public Optional<String> state(String tenantId, String providerId, String key) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT state FROM idempotency_records
                 WHERE tenant_id = :tenantId AND provider_id = :providerId AND idempotency_key = :key""")
                .bindMap(keyOf(tenantId, providerId, key))
                .mapTo(String.class)
                .findOne());
    }

    private static int insertClaim(
            Handle handle,
            String tenantId,
            String providerId,
            String key,
            String fingerprint,
            Duration lease,
            Instant now) {
        return handle.createUpdate("""
                INSERT INTO idempotency_records (tenant_id, provider_id, idempotency_key, fingerprint, state, lease_until,
                                                 created_at, updated_at, expires_at)
                VALUES (:tenantId, :providerId, :key, :fingerprint, 'in_flight', :leaseUntil, :now, :now, :expires)
                ON CONFLICT DO NOTHING""")
                .bindMap(keyOf(tenantId, providerId, key))
                .bind("fingerprint", fingerprint)
                .bind("leaseUntil", now.plus(lease))
                .bind("now", now)
                .bind("expires", now.plus(REPLAY_WINDOW))
                .execute();
    }

    private static void retake(
            Handle handle,
            String tenantId,
            String providerId,
            String key,
            String fingerprint,
            Instant leaseUntil,
            Instant now) {
        handle.createUpdate("""
                UPDATE idempotency_records SET fingerprint = :fingerprint, state = 'in_flight', lease_until = :leaseUntil,
                       response_status = NULL, response_kid = NULL, response_sealed = NULL, dlq_entry_id = NULL,
                       created_at = :now, updated_at = :now, expires_at = :expires
                 WHERE tenant_id = :tenantId AND provider_id = :providerId AND idempotency_key = :key""")
                .bindMap(keyOf(tenantId, providerId, key))
                .bind("fingerprint", fingerprint)
                .bind("leaseUntil", leaseUntil)
                .bind("now", now)
                .bind("expires", now.plus(REPLAY_WINDOW))
                .execute();
    }

    private static Map<String, Object> keyOf(String tenantId, String providerId, String key) {
        return Map.of("tenantId", tenantId, "providerId", providerId, "key", key);
    }

    private static Sealer.Owner owner(String tenantId, String providerId, String key) {
        return new Sealer.Owner(tenantId, providerId + "/" + key);
    }

    private static byte[] responseBytes(StoredResponse response) {
        ObjectNode node = Json.mapper().createObjectNode().put("status", response.status());
        if (response.bodyKept()) {
            node.put("body", Base64.getEncoder().encodeToString(response.body()));
        }
        HeaderMaps.write(node, "headers", response.headers());
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StoredResponse readResponse(byte[] bytes) {
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            Map<String, List<String>> headers = HeaderMaps.read(node.path("headers"));
            return new StoredResponse(
                    node.path("status").asInt(),
                    headers,
                    node.hasNonNull("body")
                            ? Base64.getDecoder().decode(node.path("body").asText())
                            : null);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored response is unreadable", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type "
                + (value == null ? "null" : value.getClass().getName()));
    }
}
