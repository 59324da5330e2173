package io.integrationhub.registry.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.HeaderMaps;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.crypto.Sealed;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.outbox.OutboxWriter;
import io.integrationhub.registry.provider.WireName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Dead letters in Postgres. The request is sealed to (tenant, entry id) like credentials; events
 * name the entry and its error but never carry the request.
 */
public final class DeadLetterRepository {
    /** How long an entry is kept (DESIGN §4). */
    public static final Duration RETENTION = Duration.ofDays(30);

    static final String COLUMNS = """
            id, tenant_id, provider_id, idempotency_key, method, path, last_error_kind, last_error_status,
            last_error_message, attempts, status, version, created_at, updated_at, expires_at, module""";

    private final Jdbi jdbi;
    private final Sealer sealer;
    private final OutboxWriter outbox;
    private final Clock clock;

    public DeadLetterRepository(Jdbi jdbi, Sealer sealer, Clock clock) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.outbox = new OutboxWriter(clock);
        this.clock = clock;
    }

    /** Parks a failed call as a new pending entry, within the caller's transaction. */
    public DeadLetter park(
            Handle handle,
            String tenantId,
            String providerId,
            String idempotencyKey,
            FailedRequest request,
            LastError error,
            int attempts) {
        return park(handle, Ids.newId(), tenantId, providerId, idempotencyKey, request, error, attempts, null)
                .orElseThrow();
    }

    /**
     * Parks a failed call as the new pending entry {@code id}, chosen by the caller (a call parked in
     * the local spool while the registry was unreachable already told its caller the id). Writing the
     * same id twice is a no-op, so a spooled entry written again after a crash is not duplicated.
     *
     * @return the entry, or empty when an entry with this id already existed
     */
    public Optional<DeadLetter> park(
            Handle handle,
            String id,
            String tenantId,
            String providerId,
            String idempotencyKey,
            FailedRequest request,
            LastError error,
            int attempts,
            String module) {
        Instant now = now();
        Sealed sealed = sealer.seal(requestBytes(request), new Sealer.Owner(tenantId, id));
        boolean inserted = handle.createUpdate("""
                INSERT INTO dlq_entries (id, tenant_id, provider_id, idempotency_key, method, path, request_kid, request_sealed,
                                         last_error_kind, last_error_status, last_error_message, attempts, status,
                                         created_at, updated_at, expires_at, module)
                VALUES (:id, :tenantId, :providerId, :key, :method, :path, :kid, :sealed, :kind, :status, :message,
                        :attempts, 'pending', :now, :now, :expires, :module)
                ON CONFLICT (id) DO NOTHING""")
                        .bind("id", id)
                        .bind("tenantId", tenantId)
                        .bind("providerId", providerId)
                        .bind("key", idempotencyKey)
                        .bind("method", request.method())
                        .bind("path", request.path())
                        .bind("kid", sealed.keyId())
                        .bind("sealed", sealed.bytes())
                        .bind("kind", error.kind())
                        .bind("status", error.status())
                        .bind("message", error.message())
                        .bind("attempts", attempts)
                        .bind("now", now)
                        .bind("expires", now.plus(RETENTION))
                        .bind("module", module)
                        .execute()
                == 1;
        DeadLetter entry = new DeadLetter(
                id,
                tenantId,
                providerId,
                idempotencyKey,
                request.method(),
                request.path(),
                error,
                attempts,
                DeadLetterStatus.PENDING,
                1,
                now,
                now,
                now.plus(RETENTION),
                module);
        if (!inserted) {
            return Optional.empty();
        }
        outbox.append(handle, providerId, "dlq.entry.created", tenantId, eventData(entry));
        return Optional.of(entry);
    }

    /**
     * Records that a later run of the same call failed again: more attempts, a new last error, and
     * {@code status} (pending after a module's own retry, failed after an operator's replay, which
     * also appends {@code dlq.entry.failed}).
     */
    public void failedAgain(
            Handle handle, String tenantId, String id, LastError error, int moreAttempts, DeadLetterStatus status) {
        int updated = handle.createUpdate("""
                UPDATE dlq_entries SET last_error_kind = :kind, last_error_status = :status, last_error_message = :message,
                       attempts = attempts + :more, status = :newStatus, version = version + 1, updated_at = :now
                 WHERE id = :id AND tenant_id = :tenantId""")
                .bind("newStatus", WireName.of(status))
                .bind("kind", error.kind())
                .bind("status", error.status())
                .bind("message", error.message())
                .bind("more", moreAttempts)
                .bind("now", now())
                .bind("id", id)
                .bind("tenantId", tenantId)
                .execute();
        if (updated == 1 && status == DeadLetterStatus.FAILED) {
            find(handle, tenantId, id)
                    .ifPresent(entry ->
                            outbox.append(handle, entry.providerId(), "dlq.entry.failed", tenantId, eventData(entry)));
        }
    }

    /** Marks the entry resolved because a later run of the same call reached the provider. */
    public void succeeded(Handle handle, String tenantId, String id, int moreAttempts) {
        int updated = handle.createUpdate("""
                UPDATE dlq_entries SET status = 'succeeded', attempts = attempts + :more, version = version + 1,
                       updated_at = :now
                 WHERE id = :id AND tenant_id = :tenantId AND status <> 'succeeded'""")
                .bind("more", moreAttempts)
                .bind("now", now())
                .bind("id", id)
                .bind("tenantId", tenantId)
                .execute();
        if (updated == 1) {
            find(handle, tenantId, id)
                    .ifPresent(entry -> outbox.append(
                            handle, entry.providerId(), "dlq.entry.succeeded", tenantId, eventData(entry)));
        }
    }

    /** Entries not (yet) resolved, by provider and status. */
    public record Depth(String providerId, String status, long entries) {}

    /** How many entries wait, per provider and status (succeeded ones excluded): the DLQ depth gauge. */
    public List<Depth> depth() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT provider_id, status, count(*) AS entries FROM dlq_entries
                         WHERE status <> 'succeeded' GROUP BY provider_id, status""")
                .map((rs, ctx) -> new Depth(rs.getString("provider_id"), rs.getString("status"), rs.getLong("entries")))
                .list());
    }

    public Optional<DeadLetter> find(String tenantId, String id) {
        return jdbi.withHandle(handle -> find(handle, tenantId, id));
    }

    /** A tenant's entries matching {@code filter} in id (creation) order, starting after {@code afterId}. */
    public Page<DeadLetter> list(String tenantId, DeadLetterFilter filter, String afterId, int limit) {
        List<DeadLetter> rows = jdbi.withHandle(handle -> filter.bind(handle.createQuery("SELECT " + COLUMNS
                        + " FROM dlq_entries WHERE tenant_id = :tenantId AND id > :afterId" + filter.sql()
                        + " ORDER BY id LIMIT :limit"))
                .bind("tenantId", tenantId)
                .bind("afterId", afterId == null ? "" : afterId)
                .bind("limit", limit + 1)
                .map(DeadLetterRepository::map)
                .list());
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<DeadLetter> page = rows.subList(0, limit);
        return new Page<>(page, page.get(limit - 1).id());
    }

    /**
     * Deletes an entry unless a replay of it is under way, appending {@code dlq.entry.deleted} and
     * unlinking the idempotency record that pointed at it (a later call with that key then parks a
     * new entry). Empty when nothing was deleted: no such entry in the tenant, or it is retrying.
     */
    public Optional<DeadLetter> delete(String tenantId, String id) {
        return jdbi.inTransaction(handle -> {
            Optional<DeadLetter> deleted = handle.createQuery(
                            "DELETE FROM dlq_entries WHERE id = :id AND tenant_id = :tenantId"
                                    + " AND status <> 'retrying' RETURNING " + COLUMNS)
                    .bind("id", id)
                    .bind("tenantId", tenantId)
                    .map(DeadLetterRepository::map)
                    .findOne();
            deleted.ifPresent(entry -> {
                unlinkIdempotency(handle, List.of(entry.id()));
                outbox.append(
                        handle,
                        entry.providerId(),
                        "dlq.entry.deleted",
                        tenantId,
                        eventData(entry).put("reason", "deleted"));
            });
            return deleted;
        });
    }

    /** Idempotency records pointing at these (deleted) entries point nowhere from now on. */
    static void unlinkIdempotency(Handle handle, List<String> entryIds) {
        handle.createUpdate("UPDATE idempotency_records SET dlq_entry_id = NULL WHERE dlq_entry_id = ANY(:ids)")
                .bindArray("ids", String.class, entryIds)
                .execute();
    }

    Optional<DeadLetter> find(Handle handle, String tenantId, String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM dlq_entries WHERE id = :id AND tenant_id = :tenantId")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(DeadLetterRepository::map)
                .findOne();
    }

    /** Opens the sealed request of an entry. */
    public FailedRequest openRequest(DeadLetter entry) {
        return jdbi.withHandle(handle -> {
            Map<String, Object> row = handle.createQuery(
                            "SELECT request_kid, request_sealed FROM dlq_entries WHERE id = :id AND tenant_id = :tenantId")
                    .bind("id", entry.id())
                    .bind("tenantId", entry.tenantId())
                    .mapToMap()
                    .one();
            Sealed sealed = new Sealed((String) row.get("request_kid"), (byte[]) row.get("request_sealed"));
            return readRequest(sealer.open(sealed, new Sealer.Owner(entry.tenantId(), entry.id())));
        });
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    static ObjectNode eventData(DeadLetter entry) {
        ObjectNode data = Json.mapper()
                .createObjectNode()
                .put("dlqEntryId", entry.id())
                .put("providerId", entry.providerId())
                .put("tenantId", entry.tenantId())
                .put("method", entry.method())
                .put("status", WireName.of(entry.status()))
                .put("attempts", entry.attempts())
                .put("errorKind", entry.lastError().kind());
        if (entry.lastError().status() != null) {
            data.put("errorStatus", entry.lastError().status());
        }
        return data;
    }

    /** First byte of the request format with the body outside the JSON head (earlier rows start with '{'). */
    private static final byte BINARY_FORMAT = 1;

    /**
     * A request as sealed into its row: a format byte, the length of a JSON head (method, path,
     * query, content type, headers), the head, then the body's raw bytes. The body is not base64 in
     * JSON any more: a 30 MiB body would be a 40 million character string, past the parser's limit.
     */
    private static byte[] requestBytes(FailedRequest request) {
        ObjectNode node = Json.mapper()
                .createObjectNode()
                .put("method", request.method())
                .put("path", request.path())
                .put("query", request.query())
                .put("contentType", request.contentType());
        HeaderMaps.write(node, "headers", request.headers());
        try {
            byte[] head = Json.mapper().writeValueAsBytes(node);
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(1 + 4 + head.length + request.body().length);
            bytes.put(BINARY_FORMAT).putInt(head.length).put(head).put(request.body());
            return bytes.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FailedRequest readRequest(byte[] bytes) {
        try {
            if (bytes.length > 0 && bytes[0] == BINARY_FORMAT) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                buffer.get();
                int headLength = buffer.getInt();
                JsonNode node = Json.mapper().readTree(bytes, 5, headLength);
                return request(node, java.util.Arrays.copyOfRange(bytes, 5 + headLength, bytes.length));
            }
            JsonNode node = Json.mapper().readTree(bytes);
            return request(node, Base64.getDecoder().decode(node.path("body").asText("")));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(
                    "a dead letter's request is unreadable",
                    e instanceof IOException io
                            ? io
                            : new IOException(e.getClass().getSimpleName()));
        }
    }

    private static FailedRequest request(JsonNode node, byte[] body) {
        Map<String, List<String>> headers = HeaderMaps.read(node.path("headers"));
        return new FailedRequest(
                node.path("method").asText(),
                node.path("path").asText(),
                node.path("query").isNull() ? null : node.path("query").asText(null),
                headers,
                node.path("contentType").isNull()
                        ? null
                        : node.path("contentType").asText(null),
                body);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static DeadLetter map(ResultSet rs, StatementContext ctx) throws SQLException {
        int status = rs.getInt("last_error_status");
        Integer lastStatus = rs.wasNull() ? null : status;
        return new DeadLetter(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("provider_id"),
                rs.getString("idempotency_key"),
                rs.getString("method"),
                rs.getString("path"),
                new LastError(rs.getString("last_error_kind"), lastStatus, rs.getString("last_error_message")),
                rs.getInt("attempts"),
                WireName.parse(DeadLetterStatus.class, rs.getString("status")).orElseThrow(),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(),
                rs.getString("module"));
    }
}
