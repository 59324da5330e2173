package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.dlq.DeadLetter;
import io.integrationhub.registry.dlq.DeadLetterFilter;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.dlq.DeadLetterStatus;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.RetryRequests;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderNotFoundException;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.WireName;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of the dead letter queue, shared by every API: tenant scoping (another tenant's entry
 * does not exist), which entries may be retried or deleted, and filters. Scope checks happen at the
 * edge; replays happen in {@link ReplayWorker}, behind the retry queue.
 */
public final class DlqService {
    private static final Set<DeadLetterStatus> RETRYABLE =
            EnumSet.of(DeadLetterStatus.PENDING, DeadLetterStatus.FAILED);

    private final DeadLetterRepository entries;
    private final RetryRequests retries;
    private final ProviderRepository providers;
    private final Runnable wakeRelay;

    public DlqService(
            DeadLetterRepository entries, RetryRequests retries, ProviderRepository providers, Runnable wakeRelay) {
        this.entries = entries;
        this.retries = retries;
        this.providers = providers;
        this.wakeRelay = wakeRelay;
    }

    /**
     * A filter from its text form: {@code provider} an id or a name of the caller's tenant (an id
     * also matches a deleted provider's entries), {@code status} one or more comma-separated
     * statuses, {@code createdFrom} (inclusive) and {@code createdTo} (exclusive) ISO-8601 instants.
     */
    public DeadLetterFilter filter(
            Caller caller, String provider, String status, String createdFrom, String createdTo) {
        String providerId = null;
        if (provider != null && !provider.isBlank()) {
            Optional<Provider> found = providers.find(caller.tenantId(), provider.trim());
            if (found.isPresent()) {
                providerId = found.get().id();
            } else if (Ids.looksLikeId(provider.trim())) {
                providerId = provider.trim();
            } else {
                throw new ProviderNotFoundException(provider.trim());
            }
        }
        Set<DeadLetterStatus> statuses = EnumSet.noneOf(DeadLetterStatus.class);
        if (status != null && !status.isBlank()) {
            for (String part : status.split(",")) {
                statuses.add(WireName.parse(DeadLetterStatus.class, part.trim())
                        .orElseThrow(() -> ApiException.validation(
                                "status",
                                "must be one or more of " + WireName.choices(DeadLetterStatus.class)
                                        + ", comma-separated")));
            }
        }
        Instant from = instant("createdFrom", createdFrom);
        Instant to = instant("createdTo", createdTo);
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.validation("createdFrom", "must not be after createdTo");
        }
        return new DeadLetterFilter(providerId, statuses, from, to);
    }

    public Page<DeadLetter> list(Caller caller, DeadLetterFilter filter, String afterId, int limit) {
        return entries.list(caller.tenantId(), filter, afterId, limit);
    }

    public DeadLetter get(Caller caller, String id) {
        return (Ids.looksLikeId(id) ? entries.find(caller.tenantId(), id) : Optional.<DeadLetter>empty())
                .orElseThrow(() -> notFound(id));
    }

    /** The stored request of an entry the caller may see (credentials were never part of it). */
    public FailedRequest request(DeadLetter entry) {
        return entries.openRequest(entry);
    }

    /** The provider of an entry, even if deleted since (to know which of its header or query names carry its key). */
    public Optional<Provider> provider(DeadLetter entry) {
        return providers
                .findAnyById(entry.providerId())
                .filter(p -> p.tenantId().equals(entry.tenantId()));
    }

    /** Queues a replay; 409 when the entry is being retried already or has succeeded. */
    public DeadLetter retry(Caller caller, String id) {
        if (!Ids.looksLikeId(id)) {
            throw notFound(id);
        }
        return switch (retries.request(caller.tenantId(), id)) {
            case RetryRequests.Requested.Queued queued -> {
                wakeRelay.run();
                yield queued.entry();
            }
            case RetryRequests.Requested.NotFound notFound -> throw notFound(id);
            case RetryRequests.Requested.NotRetryable refused ->
                throw new ApiException(
                                ProblemType.DLQ_ENTRY_CONFLICT,
                                "dead letter " + id + " is " + WireName.of(refused.status())
                                        + "; only pending or failed entries can be retried")
                        .extension("entryStatus", WireName.of(refused.status()));
        };
    }

    /** Queues a replay of every pending or failed entry matching the filter (which may narrow the statuses further). */
    public RetryRequests.Batch retryAll(Caller caller, DeadLetterFilter filter) {
        if (!RETRYABLE.containsAll(filter.statuses())) {
            throw ApiException.validation("status", "retry-all takes pending and/or failed entries only");
        }
        RetryRequests.Batch batch = retries.requestAll(caller.tenantId(), filter);
        if (batch.queued() > 0) {
            wakeRelay.run();
        }
        return batch;
    }

    public RetryRequests.BatchProgress progress(Caller caller, String batchId) {
        return (Ids.looksLikeId(batchId)
                        ? retries.progress(caller.tenantId(), batchId)
                        : Optional.<RetryRequests.BatchProgress>empty())
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no retry-all batch '" + batchId + "'"));
    }

    /** Deletes an entry; 409 while it is being retried (its replay would be left without an entry). */
    public void delete(Caller caller, String id) {
        DeadLetter entry = get(caller, id);
        if (entries.delete(caller.tenantId(), entry.id()).isEmpty()) {
            DeadLetter now = get(caller, id);
            throw new ApiException(
                            ProblemType.DLQ_ENTRY_CONFLICT,
                            "dead letter " + id + " is " + WireName.of(now.status()) + "; wait until its retry ended")
                    .extension("entryStatus", WireName.of(now.status()));
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(ProblemType.DLQ_ENTRY_NOT_FOUND, "no dead letter '" + id + "'");
    }
}
