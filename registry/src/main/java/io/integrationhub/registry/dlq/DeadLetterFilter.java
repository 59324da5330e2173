package io.integrationhub.registry.dlq;

import io.integrationhub.registry.provider.WireName;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Which dead letters a listing or a retry-all covers. Every part is optional: {@code providerId}
 * null means every provider, {@code statuses} empty every status, {@code createdFrom} is inclusive
 * and {@code createdTo} exclusive.
 */
public record DeadLetterFilter(
        String providerId, Set<DeadLetterStatus> statuses, Instant createdFrom, Instant createdTo) {
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, Set.of(), null, null);

    public DeadLetterFilter {
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (createdFrom != null && createdTo != null && createdFrom.isAfter(createdTo)) {
            throw new IllegalArgumentException("createdFrom must not be after createdTo");
        }
    }

    public DeadLetterFilter withStatuses(Set<DeadLetterStatus> value) {
        return new DeadLetterFilter(providerId, value, createdFrom, createdTo);
    }

    /** The conditions of this filter on {@code dlq_entries}, each starting with {@code AND}. */
    String sql() {
        StringBuilder sql = new StringBuilder();
        if (providerId != null) {
            sql.append(" AND provider_id = :filterProviderId");
        }
        if (!statuses.isEmpty()) {
            sql.append(" AND status = ANY(:filterStatuses)");
        }
        if (createdFrom != null) {
            sql.append(" AND created_at >= :filterFrom");
        }
        if (createdTo != null) {
            sql.append(" AND created_at < :filterTo");
        }
        return sql.toString();
    }

    /** Binds the parameters {@link #sql()} names. */
    <T extends SqlStatement<T>> T bind(T statement) {
        if (providerId != null) {
            statement.bind("filterProviderId", providerId);
        }
        if (!statuses.isEmpty()) {
            statement.bindArray(
                    "filterStatuses",
                    String.class,
                    statuses.stream().map(WireName::of).sorted().toList());
        }
        if (createdFrom != null) {
            statement.bind("filterFrom", createdFrom);
        }
        if (createdTo != null) {
            statement.bind("filterTo", createdTo);
        }
        return statement;
    }
}
