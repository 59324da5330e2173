package io.integrationhub.registry.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.crypto.Sealed;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.outbox.OutboxWriter;
import io.integrationhub.registry.validation.FieldError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Providers in Postgres. Every write seals credentials, bumps the version, appends its event to the
 * outbox and notifies {@link #CHANGE_CHANNEL}, all in one transaction.
 */
public final class ProviderRepository {
    /** Postgres NOTIFY channel carrying the id of every changed provider (cache invalidation). */
    public static final String CHANGE_CHANNEL = "integration_hub_providers";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = """
            id, tenant_id, name, type, base_url, auth::text AS auth, credentials_kid, credentials_sealed,
            config::text AS config, status, managed_by, version, created_at, updated_at, deleted_at""";

    private final Jdbi jdbi;
    private final Sealer sealer;
    private final OutboxWriter outbox;
    private final Clock clock;

    public ProviderRepository(Jdbi jdbi, Sealer sealer, Clock clock) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.outbox = new OutboxWriter(clock);
        this.clock = clock;
    }

    /** Creates a provider; its credentials are sealed to its new id and tenant. */
    public Provider create(String tenantId, ProviderSpec spec, ManagedBy managedBy) {
        return create(tenantId, spec, managedBy, Integer.MAX_VALUE);
    }

    /**
     * Creates a provider unless the tenant already has {@code maxLive} live ones. Creates of one tenant
     * are serialized by a transaction-scoped advisory lock, so concurrent creates cannot overshoot.
     *
     * @throws ProviderQuotaExceededException at the limit
     */
    public Provider create(String tenantId, ProviderSpec spec, ManagedBy managedBy, int maxLive) {
        String id = Ids.newId();
        Instant now = now();
        Sealed sealed = seal(spec.credentials(), tenantId, id);
        Provider provider = new Provider(
                id,
                tenantId,
                spec.name(),
                spec.type(),
                spec.baseUrl(),
                spec.auth(),
                sealed,
                spec.config(),
                spec.status(),
                managedBy,
                1,
                now,
                now,
                null);
        return inTransaction(spec.name(), handle -> {
            if (maxLive < Integer.MAX_VALUE) {
                handle.createQuery(
                                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended('providers-of:' || :tenantId, 0))) AS locked")
                        .bind("tenantId", tenantId)
                        .mapTo(Integer.class)
                        .one();
                int live = handle.createQuery(
                                "SELECT count(*) FROM providers WHERE tenant_id = :tenantId AND deleted_at IS NULL")
                        .bind("tenantId", tenantId)
                        .mapTo(Integer.class)
                        .one();
                if (live >= maxLive) {
                    throw new ProviderQuotaExceededException(maxLive);
                }
            }
            requireTargets(handle, tenantId, provider.config());
            handle.createUpdate("""
                    INSERT INTO providers (id, tenant_id, name, type, base_url, auth, credentials_kid, credentials_sealed,
                                           config, status, managed_by, version, created_at, updated_at)
                    VALUES (:id, :tenantId, :name, :type, :baseUrl, CAST(:auth AS jsonb), :kid, :sealed,
                            CAST(:config AS jsonb), :status, :managedBy, :version, :createdAt, :updatedAt)""")
                    .bind("id", id)
                    .bind("tenantId", tenantId)
                    .bind("createdAt", now)
                    .bind("managedBy", WireName.of(managedBy))
                    .bind("version", 1L)
                    .bindMap(mutableColumns(provider))
                    .execute();
            changed(handle, provider, "provider.created");
            return provider;
        });
    }

    /**
     * Replaces the writable fields; {@code spec.credentials() == null} keeps the stored ones.
     *
     * @param expectedVersion the version the writer saw (If-Match), or null to accept any
     * @throws ProviderNotFoundException if it does not exist (or is deleted) in this tenant
     * @throws StaleVersionException if {@code expectedVersion} is not the stored version
     */
    public Provider update(String tenantId, String id, ProviderSpec spec, Long expectedVersion) {
        return inTransaction(spec.name(), handle -> {
            Provider current = lockLive(handle, tenantId, id, expectedVersion);
            CredentialDestination.requireUnmoved(current, spec); // checked on the locked row, whoever writes
            if (!current.name().equals(spec.name())) {
                refuseIfRouted(handle, current);
            }
            requireTargets(handle, tenantId, spec.config());
            Sealed sealed =
                    spec.credentials() == null ? current.sealedCredentials() : seal(spec.credentials(), tenantId, id);
            Provider updated = new Provider(
                    id,
                    tenantId,
                    spec.name(),
                    spec.type(),
                    spec.baseUrl(),
                    spec.auth(),
                    sealed,
                    spec.config(),
                    spec.status(),
                    current.managedBy(),
                    current.version() + 1,
                    current.createdAt(),
                    now(),
                    null);
            handle.createUpdate("""
                    UPDATE providers SET name = :name, type = :type, base_url = :baseUrl, auth = CAST(:auth AS jsonb),
                           credentials_kid = :kid, credentials_sealed = :sealed, config = CAST(:config AS jsonb),
                           status = :status, version = :version, updated_at = :updatedAt
                     WHERE id = :id""")
                    .bind("id", id)
                    .bind("version", updated.version())
                    .bindMap(mutableColumns(updated))
                    .execute();
            changed(handle, updated, "provider.updated");
            return updated;
        });
    }

    /** Soft-deletes: the row stays (DLQ entries refer to it) but no longer resolves, and its name is free. */
    public Provider softDelete(String tenantId, String id, Long expectedVersion) {
        return inTransaction(null, handle -> {
            Provider current = lockLive(handle, tenantId, id, expectedVersion);
            refuseIfRouted(handle, current);
            Instant now = now();
            handle.createUpdate(
                            "UPDATE providers SET deleted_at = :now, updated_at = :now, version = version + 1 WHERE id = :id")
                    .bind("id", id)
                    .bind("now", now)
                    .execute();
            Provider deleted = new Provider(
                    id,
                    tenantId,
                    current.name(),
                    current.type(),
                    current.baseUrl(),
                    current.auth(),
                    current.sealedCredentials(),
                    current.config(),
                    current.status(),
                    current.managedBy(),
                    current.version() + 1,
                    current.createdAt(),
                    now,
                    now);
            changed(handle, deleted, "provider.deleted");
            return deleted;
        });
    }

    /** A live provider by id or, failing that, by name, within the tenant. */
    public Optional<Provider> find(String tenantId, String idOrName) {
        if (idOrName == null
                || !(Ids.looksLikeId(idOrName)
                        || ProviderValidator.DNS_1123_LABEL.matcher(idOrName).matches())) {
            return Optional.empty(); // nothing else can name a provider, and such text never reaches SQL
        }
        return jdbi.withHandle(handle -> {
            Optional<Provider> byId =
                    Ids.looksLikeId(idOrName) ? findLive(handle, tenantId, "id", idOrName) : Optional.empty();
            return byId.isPresent() ? byId : findLive(handle, tenantId, "name", idOrName);
        });
    }

    /** A provider by id whatever its tenant or deletion, for internal use (cache reloads, DLQ replay). */
    public Optional<Provider> findAnyById(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM providers WHERE id = :id")
                .bind("id", id)
                .map(ProviderRepository::map)
                .findOne());
    }

    /** Live providers of a tenant in id order, starting after {@code afterId} (keyset paging). */
    public Page<Provider> list(String tenantId, String afterId, int limit) {
        List<Provider> rows = jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM providers WHERE tenant_id = :tenantId AND deleted_at IS NULL AND id > :afterId"
                        + " ORDER BY id LIMIT :limit")
                .bind("tenantId", tenantId)
                .bind("afterId", afterId == null ? "" : afterId)
                .bind("limit", limit + 1)
                .map(ProviderRepository::map)
                .list());
        boolean more = rows.size() > limit;
        List<Provider> items = more ? rows.subList(0, limit) : rows;
        return new Page<>(items, more ? items.get(items.size() - 1).id() : null);
    }

    /** Opens a provider's credentials (empty for auth type none). */
    public Credentials openCredentials(Provider provider) {
        if (provider.sealedCredentials() == null) {
            return new Credentials(java.util.Map.of());
        }
        byte[] plaintext =
                sealer.open(provider.sealedCredentials(), new Sealer.Owner(provider.tenantId(), provider.id()));
        try {
            return ProviderJson.readCredentials(plaintext);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Re-seals every provider's credentials under the current master key (after a rotation); rows
     * already sealed under it are left alone. Returns how many rows were re-sealed.
     */
    public int resealAll() {
        return jdbi.inTransaction(handle -> {
            List<Provider> stale = handle
                    .createQuery("SELECT " + COLUMNS
                            + " FROM providers WHERE credentials_kid IS NOT NULL ORDER BY id FOR UPDATE")
                    .map(ProviderRepository::map)
                    .list()
                    .stream()
                    .filter(p -> !sealer.isCurrent(p.sealedCredentials()))
                    .toList();
            for (Provider provider : stale) {
                Sealed resealed = sealer.reseal(
                        provider.sealedCredentials(), new Sealer.Owner(provider.tenantId(), provider.id()));
                handle.createUpdate(
                                "UPDATE providers SET credentials_kid = :kid, credentials_sealed = :sealed WHERE id = :id")
                        .bind("kid", resealed.keyId())
                        .bind("sealed", resealed.bytes())
                        .bind("id", provider.id())
                        .execute();
            }
            return stale.size();
        });
    }

    private Provider lockLive(Handle handle, String tenantId, String id, Long expectedVersion) {
        Provider current = handle.createQuery("SELECT " + COLUMNS
                        + " FROM providers WHERE id = :id AND tenant_id = :tenantId AND deleted_at IS NULL FOR UPDATE")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(ProviderRepository::map)
                .findOne()
                .orElseThrow(() -> new ProviderNotFoundException(id));
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new StaleVersionException(id, expectedVersion);
        }
        return current;
    }

    /**
     * Every failover target must be a live provider of the same tenant. The targets are share-locked,
     * so a concurrent delete or rename of one waits for this transaction and then sees its route.
     */
    private static void requireTargets(Handle handle, String tenantId, ProviderConfig config) {
        List<String> targets = config.failoverTargets();
        if (targets.isEmpty()) {
            return;
        }
        List<String> live = handle.createQuery(
                        "SELECT name FROM providers WHERE tenant_id = :tenantId AND deleted_at IS NULL"
                                + " AND name IN (<names>) ORDER BY name FOR SHARE")
                .bind("tenantId", tenantId)
                .bindList("names", targets)
                .mapTo(String.class)
                .list();
        List<FieldError> missing = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (!live.contains(targets.get(i))) {
                missing.add(new FieldError(
                        "config.failover.to[" + i + "]",
                        "no provider named '" + targets.get(i) + "' exists in this tenant"));
            }
        }
        if (!missing.isEmpty()) {
            throw new FailoverTargetMissingException(missing);
        }
    }

    /** A provider that a live provider's failover route names keeps its name and stays. */
    private static void refuseIfRouted(Handle handle, Provider target) {
        List<String> routedFrom = handle.createQuery(
                        "SELECT name FROM providers WHERE tenant_id = :tenantId AND deleted_at IS NULL"
                                + " AND id <> :id AND config->'failover'->'to' @> jsonb_build_array(CAST(:name AS text)) ORDER BY name")
                .bind("tenantId", target.tenantId())
                .bind("id", target.id())
                .bind("name", target.name())
                .mapTo(String.class)
                .list();
        if (!routedFrom.isEmpty()) {
            throw new ProviderInRouteException(target.name(), routedFrom);
        }
    }

    private Optional<Provider> findLive(Handle handle, String tenantId, String column, String value) {
        return handle.createQuery(
                        "SELECT " + COLUMNS + " FROM providers WHERE tenant_id = :tenantId AND deleted_at IS NULL AND "
                                + column + " = :value")
                .bind("tenantId", tenantId)
                .bind("value", value)
                .map(ProviderRepository::map)
                .findOne();
    }

    private void changed(Handle handle, Provider provider, String eventType) {
        outbox.append(handle, provider.id(), eventType, provider.tenantId(), eventData(provider));
        handle.createQuery("SELECT pg_notify(:channel, :id)")
                .bind("channel", CHANGE_CHANNEL)
                .bind("id", provider.id())
                .mapTo(String.class)
                .findOne();
    }

    /** What an event says about a provider: identity and settings, never credentials. */
    private static ObjectNode eventData(Provider provider) {
        ObjectNode data = Json.mapper()
                .createObjectNode()
                .put("providerId", provider.id())
                .put("tenantId", provider.tenantId())
                .put("name", provider.name())
                .put("type", WireName.of(provider.type()))
                .put("baseUrl", provider.baseUrl())
                .put("authType", WireName.of(provider.auth().type()))
                .put("status", WireName.of(provider.status()))
                .put("managedBy", WireName.of(provider.managedBy()))
                .put("version", provider.version());
        return data;
    }

    private Sealed seal(Credentials credentials, String tenantId, String id) {
        if (credentials == null || credentials.entries().isEmpty()) {
            return null;
        }
        byte[] plaintext = ProviderJson.credentialsBytes(credentials);
        try {
            return sealer.seal(plaintext, new Sealer.Owner(tenantId, id));
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static java.util.Map<String, Object> mutableColumns(Provider p) {
        java.util.Map<String, Object> columns = new java.util.HashMap<>();
        columns.put("name", p.name());
        columns.put("type", WireName.of(p.type()));
        columns.put("baseUrl", p.baseUrl());
        columns.put("auth", ProviderJson.auth(p.auth()).toString());
        columns.put(
                "kid",
                p.sealedCredentials() == null ? null : p.sealedCredentials().keyId());
        columns.put(
                "sealed",
                p.sealedCredentials() == null ? null : p.sealedCredentials().bytes());
        columns.put("config", ProviderJson.config(p.config()).toString());
        columns.put("status", WireName.of(p.status()));
        columns.put("updatedAt", p.updatedAt());
        return columns;
    }

    private <T> T inTransaction(String name, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new ProviderNameTakenException(name);
            }
            throw e;
        }
    }

    private Instant now() {
        // Postgres keeps microseconds; truncating here makes what we return equal what we read back.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Provider map(ResultSet rs, StatementContext ctx) throws SQLException {
        String kid = rs.getString("credentials_kid");
        return new Provider(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("name"),
                WireName.parse(ProviderType.class, rs.getString("type")).orElseThrow(),
                rs.getString("base_url"),
                ProviderJson.readAuth(readTree(rs.getString("auth"))),
                kid == null ? null : new Sealed(kid, rs.getBytes("credentials_sealed")),
                ProviderJson.readConfig(rs.getString("config")),
                WireName.parse(ProviderStatus.class, rs.getString("status")).orElseThrow(),
                WireName.parse(ManagedBy.class, rs.getString("managed_by")).orElseThrow(),
                rs.getLong("version"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("deleted_at")));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
