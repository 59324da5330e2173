package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.ConcurrencyLimits;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.ModuleName;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.MemoryBudget;
import io.integrationhub.dataplane.callrecord.CallRecord;
import io.integrationhub.dataplane.callrecord.CallRecords;
import io.integrationhub.dataplane.credentials.OutboundCredentials;
import io.integrationhub.dataplane.credentials.QueryCredentialClash;
import io.integrationhub.dataplane.egress.OutboundClients;
import io.integrationhub.dataplane.observe.CallObserver;
import io.integrationhub.dataplane.provider.ProviderCache;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.dlq.DeadLetter;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.idempotency.Claim;
import io.integrationhub.registry.idempotency.IdempotencyRepository;
import io.integrationhub.registry.idempotency.StoredResponse;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderNotFoundException;
import io.integrationhub.registry.provider.ProviderStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The call pipeline of DESIGN §3, shared by the envelope route, the proxy route, gRPC and DLQ
 * replay: resolve, claim the idempotency key, admit, inject auth, call with a timeout, retry with
 * backoff ({@link Attempts}), and report what happened as a {@link CallResult} — the provider's
 * answer (streamed), a replay, a refusal, or the call parked in the DLQ. It throws nothing the
 * caller caused: the edges turn results into statuses.
 */
public final class CallService {
    private static final Logger LOG = Logger.getLogger(CallService.class.getName());
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** Who answered a call with a route (or has it last), and every provider tried in order. */
    static final String PROVIDER_HEADER = "X-Integration-Provider";

    static final String ROUTE_HEADER = "X-Integration-Route";

    private final ProviderCache providers;
    private final ConcurrencyLimits concurrency;
    private final IdempotencyRepository idempotency;
    private final CallRecords records;
    private final CallObserver observer;
    private final Attempts attempts;
    private final long maxKeptAnswerBytes;
    private final Bodies bodies;

    /**
     * @param maxKeptAnswerBytes answers of keyed calls up to this size are kept for replay
     *     ({@code INTEGRATION_MAX_KEPT_ANSWER_BYTES}); larger ones complete the key without their body
     */
    public CallService(
            ProviderCache providers,
            Admission admission,
            ConcurrencyLimits concurrency,
            OutboundCredentials credentials,
            OutboundClients clients,
            IdempotencyRepository idempotency,
            CallRecords records,
            Sleeper sleeper,
            Clock clock,
            RandomGenerator random,
            int defaultRateLimitPerSec,
            CallStats stats,
            CallObserver observer,
            Bodies bodies,
            long maxKeptAnswerBytes,
            Waiters waiters) {
        this(
                providers,
                concurrency,
                idempotency,
                records,
                observer,
                bodies,
                maxKeptAnswerBytes,
                new Attempts(
                        admission,
                        credentials,
                        new UpstreamCaller(clients),
                        sleeper,
                        clock,
                        random,
                        defaultRateLimitPerSec,
                        stats,
                        waiters));
    }

    CallService(
            ProviderCache providers,
            ConcurrencyLimits concurrency,
            IdempotencyRepository idempotency,
            CallRecords records,
            CallObserver observer,
            Bodies bodies,
            long maxKeptAnswerBytes,
            Attempts attempts) {
        this.bodies = bodies;
        this.providers = providers;
        this.concurrency = concurrency;
        this.idempotency = idempotency;
        this.records = records;
        this.observer = observer;
        this.maxKeptAnswerBytes = maxKeptAnswerBytes;
        this.attempts = attempts;
    }

    /**
     * Runs one call. {@code memory} is the call's share of the instance's memory budget: a kept
     * answer is charged to it. An {@link CallResult.Answered} result's body must be passed on and
     * closed by the caller of this method.
     */
    public CallResult execute(Caller caller, CallRequest request, MemoryBudget.Reservation memory) {
        try (CallObserver.Observation observation =
                observer.start(caller.tenantId(), caller.module(), request.method(), request.traceparent())) {
            CallResult result;
            try {
                result = run(caller, request, memory, observation);
            } catch (ApiException problem) {
                result = new CallResult.Rejected(problem);
            } catch (RuntimeException e) {
                observation.failed(e);
                throw e;
            }
            switch (result) {
                case CallResult.Answered answered -> observation.answered(answered.status(), false);
                case CallResult.Replayed replayed ->
                    observation.answered(replayed.response().status(), true);
                case CallResult.Rejected rejected -> observation.failed(rejected.problem());
                case CallResult.Parked parked -> observation.failed(parked.problem());
                case CallResult.Expired expired -> observation.failed(expired.problem());
            }
            return result;
        }
    }

    private CallResult run(
            Caller caller, CallRequest request, MemoryBudget.Reservation memory, CallObserver.Observation observation) {
        Provider primary = providers.resolve(caller.tenantId(), request.providerRef());
        observation.provider(primary);
        if (primary.status() == ProviderStatus.DISABLED) {
            return rejected(ProblemType.PROVIDER_DISABLED, "provider " + primary.name() + " is disabled");
        }
        Route route = route(caller, primary, request);
        boolean keyed = request.idempotencyKey() != null;
        if (keyed && !IDEMPOTENCY_KEY.matcher(request.idempotencyKey()).matches()) {
            throw ApiException.validation("idempotencyKey", "must be 1-255 visible ASCII characters");
        }
        String key = keyed ? request.idempotencyKey() : newCallKey();
        String traceparent = observation.outboundTraceparent(Traceparent.forOutbound(request.traceparent()));

        // One key for the logical call, held by the primary's record whoever answers.
        KeyClaim claim = KeyClaim.none();
        if (keyed) {
            String fingerprint = request.alternatives().isEmpty()
                    ? fingerprint(route.primary().request())
                    : fingerprint(route);
            switch (idempotency.claim(
                    primary.tenantId(), primary.id(), key, fingerprint, lease(route, request.deadline()))) {
                case Claim.Replay replay -> {
                    return new CallResult.Replayed(replay.response(), key);
                }
                case Claim.InFlight inFlight -> {
                    return new CallResult.Rejected(new ApiException(
                                    ProblemType.IDEMPOTENCY_CONFLICT,
                                    "a call with this Idempotency-Key is still in progress; retry later")
                            .header("Retry-After", "1"));
                }
                case Claim.Mismatch mismatch -> {
                    return rejected(
                            ProblemType.IDEMPOTENCY_MISMATCH,
                            request.alternatives().isEmpty()
                                    ? "this Idempotency-Key was used for a different request (method, path, query or body)"
                                    : "this Idempotency-Key was used for a different envelope (its request or its alternatives)");
                }
                case Claim.Proceed proceed ->
                    claim = KeyClaim.of(idempotency, primary.tenantId(), primary.id(), key, proceed);
            }
        }
        try (KeyClaim owned = claim) {
            boolean named = route.branches();
            if (owned.dlqEntryId() != null) {
                // An earlier run was parked: it resumes where it stopped and never moves past a provider that may have
                // acted
                // (even when the route has changed since, it never goes to another provider).
                String parkedWith = records.parkedWith(primary.tenantId(), owned.dlqEntryId())
                        .orElse(primary.id());
                Route resumed = route.resumedAt(parkedWith).orElse(null);
                if (resumed == null) {
                    return rejected(
                            ProblemType.IDEMPOTENCY_CONFLICT,
                            "an earlier call with this Idempotency-Key was parked with a"
                                    + " provider that is no longer on its route; replay its dead letter "
                                    + owned.dlqEntryId());
                }
                route = resumed;
            }
            return follow(
                    route,
                    named,
                    caller.module(),
                    key,
                    traceparent,
                    observation,
                    keyed,
                    owned,
                    memory,
                    request.deadline());
        }
    }

    /**
     * Follows the route: each provider in turn, as long as the one before provably did not execute
     * the call ({@link io.integrationhub.dataplane.call.failover.MoveOn}); the first other end is the call's.
     * With {@code named} (the call has a route, perhaps resumed on one provider of it) its answer names it.
     */
    private CallResult follow(
            Route route,
            boolean named,
            String module,
            String key,
            String traceparent,
            CallObserver.Observation observation,
            boolean keyed,
            KeyClaim claim,
            MemoryBudget.Reservation memory,
            CallDeadline deadline) {
        List<Provider> tried = new ArrayList<>();
        List<Route.Leg> legs = route.legs();
        for (int i = 0; ; i++) {
            Route.Leg leg = legs.get(i);
            tried.add(leg.provider());
            boolean last = i == legs.size() - 1;
            Attempts.Call call = new Attempts.Call(
                    leg.provider(),
                    leg.request(),
                    module,
                    key,
                    traceparent,
                    leg.timeout(),
                    observation,
                    !last,
                    leg.onStatus(),
                    deadline);
            Step step = attempt(call, keyed, false, claim, memory, named ? tried : null);
            if (step instanceof Step.Done done) {
                return done.result();
            }
            Step.MovedOn moved = (Step.MovedOn) step;
            Provider next = legs.get(i + 1).provider();
            LOG.info("call moved on from provider " + leg.provider().id() + " to " + next.id() + " ("
                    + moved.reason().label() + ", " + moved.sent() + " attempt(s) with nothing executed)");
            observation.failedOver(leg.provider(), next, moved.reason().label());
            records.failedOver(
                    leg.provider().tenantId(),
                    leg.provider().id(),
                    next.id(),
                    moved.reason().label(),
                    key);
        }
    }

    /** The call's route: computed once, before anything is claimed or sent. */
    private Route route(Caller caller, Provider primary, CallRequest request) {
        Duration primaryTimeout = timeout(primary);
        OutboundRequest outbound = outbound(
                primary,
                request.method(),
                request.path(),
                request.rawQuery(),
                request.headers(),
                request.contentType(),
                request.body(),
                "");
        List<Route.Leg> legs = new ArrayList<>();
        ProviderConfig.Failover failover = primary.config().failover();
        if (!request.alternatives().isEmpty()) {
            if (request.alternatives().size() > CallRequest.MAX_ALTERNATIVES) {
                throw ApiException.validation(
                        "alternatives", "must have at most " + CallRequest.MAX_ALTERNATIVES + " entries");
            }
            legs.add(new Route.Leg(primary, outbound, primaryTimeout, onStatus(primary)));
            for (int i = 0; i < request.alternatives().size(); i++) {
                CallRequest.Alternative alternative = request.alternatives().get(i);
                String field = "alternatives[" + i + "].";
                if (alternative.providerRef() == null
                        || alternative.providerRef().isBlank()) {
                    throw ApiException.validation(field + "provider", "is required");
                }
                Provider provider = providers.resolve(caller.tenantId(), alternative.providerRef());
                if (provider.status() == ProviderStatus.DISABLED) {
                    continue;
                }
                legs.add(new Route.Leg(
                        provider,
                        outbound(
                                provider,
                                alternative.method(),
                                alternative.path(),
                                alternative.rawQuery(),
                                alternative.headers(),
                                alternative.contentType(),
                                alternative.body(),
                                field),
                        timeout(provider),
                        onStatus(provider)));
            }
            return new Route(legs);
        }
        // The same request, to each target with its own base URL, credentials, breaker and limiter. The primary's
        // onStatus speaks for its whole route: its targets serve the same API.
        List<Integer> routeOnStatus = failover == null ? List.of() : failover.onStatus();
        legs.add(new Route.Leg(primary, outbound, primaryTimeout, routeOnStatus));
        for (String name : primary.config().failoverTargets()) {
            Provider target;
            try {
                target = providers.resolve(caller.tenantId(), name);
            } catch (ProviderNotFoundException | ApiException unusable) {
                // Validated when the route was written; a target gone or refused since is skipped, not fatal.
                continue;
            }
            if (target.status() == ProviderStatus.DISABLED || target.id().equals(primary.id())) {
                continue;
            }
            QueryCredentialClash.check(target.auth(), outbound.query(), "query");
            legs.add(new Route.Leg(target, outbound, timeout(target), routeOnStatus));
        }
        return new Route(legs);
    }

    private static List<Integer> onStatus(Provider provider) {
        ProviderConfig.Failover failover = provider.config().failover();
        return failover == null ? List.of() : failover.onStatus();
    }

    /** One provider's request, validated; {@code field} prefixes the names of fields in errors (an alternative's). */
    private static OutboundRequest outbound(
            Provider provider,
            String method,
            String path,
            String rawQuery,
            java.util.Map<String, List<String>> headers,
            String contentType,
            io.integrationhub.dataplane.body.Body body,
            String field) {
        if (!field.isEmpty() && (path == null || path.isEmpty())) {
            throw ApiException.validation(field + "path", "is required");
        }
        String[] pathAndQuery = OutboundPaths.pathAndQuery(path, rawQuery);
        OutboundRequest outbound = new OutboundRequest(
                method(method, field + "method"),
                pathAndQuery[0],
                pathAndQuery[1],
                OutboundHeaders.fromCaller(headers, field + "headers"),
                contentType,
                body);
        QueryCredentialClash.check(provider.auth(), outbound.query(), field + "query");
        return outbound;
    }

    /**
     * Replays a dead letter through the same pipeline with the same idempotency key (an operator's
     * retry). The key is claimed first, so a module's own retry of the same call and this replay
     * never both reach the provider. The provider's answer is read and dropped as it streams.
     */
    public ReplayOutcome replay(DeadLetter entry, FailedRequest kept) {
        Bodies.Scope scope;
        try {
            scope = bodies.open();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReplayOutcome.RETRY_LATER;
        }
        if (scope == null) {
            return ReplayOutcome.RETRY_LATER;
        }
        try (scope) {
            return replay(entry, kept, scope.memory());
        }
    }

    private ReplayOutcome replay(DeadLetter entry, FailedRequest kept, MemoryBudget.Reservation memory) {
        Provider provider =
                providers.findById(entry.tenantId(), entry.providerId()).orElse(null);
        if (provider == null) {
            return ReplayOutcome.PROVIDER_GONE;
        }
        if (provider.status() == ProviderStatus.DISABLED) {
            return ReplayOutcome.RETRY_LATER;
        }
        OutboundRequest request = OutboundRequest.of(kept);
        Duration timeout = Duration.ofMillis(provider.config().timeoutMs());
        // The key lives in the record of the route's first provider when the call failed over before it was parked.
        IdempotencyRepository.Owner owner = records.keyOwner(provider.tenantId(), entry.idempotencyKey(), entry.id())
                .filter(found -> !found.providerId().equals(provider.id()))
                .orElse(null);
        String keyOwner = owner == null ? provider.id() : owner.providerId();
        KeyClaim claim;
        switch (idempotency.claim(
                provider.tenantId(),
                keyOwner,
                entry.idempotencyKey(),
                owner == null ? fingerprint(request) : owner.fingerprint(),
                lease(provider, timeout))) {
            case Claim.Replay replay -> {
                // A module's retry with the same key already got the provider's answer.
                records.record(new CallRecord.Answered(
                        provider.tenantId(), provider.id(), entry.idempotencyKey(), null, entry.id(), 0));
                return ReplayOutcome.SUCCEEDED;
            }
            case Claim.InFlight inFlight -> {
                return ReplayOutcome.RETRY_LATER;
            }
            case Claim.Mismatch mismatch -> {
                return ReplayOutcome.FAILED;
            }
            case Claim.Proceed proceed ->
                claim = KeyClaim.of(
                        idempotency,
                        provider.tenantId(),
                        keyOwner,
                        entry.idempotencyKey(),
                        new Claim.Proceed(entry.id()));
        }
        CallResult result;
        try (KeyClaim owned = claim) {
            // A replay never moves on: the provider it was parked with may have executed the call.
            Step step = attempt(
                    // It counts for the module that made the original call, not for whoever asked for the replay.
                    new Attempts.Call(
                            provider,
                            request,
                            entry.module() == null ? ModuleName.UNKNOWN : entry.module(),
                            entry.idempotencyKey(),
                            Traceparent.forOutbound(null),
                            timeout,
                            CallObserver.Observation.NONE,
                            false,
                            List.of(),
                            CallDeadline.NONE),
                    true,
                    true,
                    owned,
                    memory,
                    null);
            result = ((Step.Done) step).result();
        }
        return switch (result) {
            case CallResult.Answered answered -> {
                try (AnswerBody body = answered.body()) {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // The provider answered and acted; a stream broken while being dropped changes nothing.
                }
                yield ReplayOutcome.SUCCEEDED;
            }
            case CallResult.Replayed replayed -> ReplayOutcome.SUCCEEDED;
            case CallResult.Rejected rejected ->
                switch (rejected.problem().type()) {
                    case RATE_LIMITED, CIRCUIT_OPEN, PROVIDER_THROTTLED, CONCURRENCY_LIMITED, UNAVAILABLE ->
                        ReplayOutcome.RETRY_LATER;
                    default -> ReplayOutcome.FAILED;
                };
            case CallResult.Parked parked -> ReplayOutcome.FAILED;
            // A replay has no caller's deadline; were one ever given, nothing would be decided yet.
            case CallResult.Expired expired -> ReplayOutcome.RETRY_LATER;
        };
    }

    /** How a DLQ replay ended. */
    public enum ReplayOutcome {
        /** The provider answered (or had already answered a module's retry): the entry is succeeded. */
        SUCCEEDED,
        /** Attempts were made and failed: the entry is failed, with the new error. */
        FAILED,
        /** Nothing was sent (limit, open circuit, key in flight, provider disabled): try again later. */
        RETRY_LATER,
        /** The provider no longer exists: the entry cannot be replayed. */
        PROVIDER_GONE
    }

    /** How the attempts at one provider of the route ended: the call's result, or on to the next provider. */
    private sealed interface Step {
        record Done(CallResult result) implements Step {}

        record MovedOn(io.integrationhub.dataplane.call.failover.MoveOn.Reason reason, int sent) implements Step {}
    }

    /**
     * The attempts at one provider holding its concurrency permit, and what their end means for the
     * caller. {@code tried} is the route so far when the call has one (its answer then names it), else null.
     */
    private Step attempt(
            Attempts.Call call,
            boolean keyed,
            boolean replay,
            KeyClaim claim,
            MemoryBudget.Reservation memory,
            List<Provider> tried) {
        Provider provider = call.provider();
        ConcurrencyLimits.Permit permit = concurrency.tryAcquire(provider);
        if (permit == null) {
            return new Step.Done(routed(
                    new CallResult.Rejected(new ApiException(
                                    ProblemType.CONCURRENCY_LIMITED,
                                    "provider " + provider.name() + " has "
                                            + provider.config().maxConcurrency() + " calls in flight on this instance")
                            .header("Retry-After", "1")),
                    tried));
        }
        try {
            return switch (attempts.run(call)) {
                case Attempts.End.MovedOn moved -> new Step.MovedOn(moved.reason(), moved.sent());
                case Attempts.End.Answer answer -> new Step.Done(answered(call, keyed, claim, answer, memory, tried));
                case Attempts.End.Refused refused ->
                    new Step.Done(routed(
                            new CallResult.Rejected(rejection(provider, refused.decision(), refused.rateLimit())),
                            tried));
                case Attempts.End.Forbidden forbidden ->
                    new Step.Done(routed(rejected(ProblemType.FORBIDDEN_DESTINATION, forbidden.message()), tried));
                case Attempts.End.GaveUp gaveUp ->
                    new Step.Done(routed(
                            park(call, keyed, replay, claim, gaveUp.error(), gaveUp.sent(), gaveUp.timedOut()), tried));
                case Attempts.End.Interrupted interrupted ->
                    new Step.Done(routed(
                            interrupted.sent() == 0
                                    ? rejected(ProblemType.UNAVAILABLE, "the hub is shutting down")
                                    : park(call, keyed, replay, claim, interrupted.error(), interrupted.sent(), false),
                            tried));
                case Attempts.End.DeadlineExceeded expired ->
                    new Step.Done(routed(expired(call, expired.error(), expired.sent()), tried));
            };
        } finally {
            permit.release();
        }
    }

    /** A hub error of a call with a route names the providers tried, and the one that has the call last. */
    private static CallResult routed(CallResult result, List<Provider> tried) {
        if (tried == null) {
            return result;
        }
        ApiException problem = switch (result) {
            case CallResult.Rejected rejected -> rejected.problem();
            case CallResult.Parked parked -> parked.problem();
            case CallResult.Expired expired -> expired.problem();
            default -> null;
        };
        if (problem != null) {
            problem.header(PROVIDER_HEADER, tried.getLast().name()).header(ROUTE_HEADER, Route.describe(tried));
        }
        return result;
    }

    /** The provider's headers, plus who answered and the route tried when the call has a route. */
    private static Map<String, List<String>> withRoute(Map<String, List<String>> headers, List<Provider> tried) {
        if (tried == null) {
            return headers;
        }
        Map<String, List<String>> named = new LinkedHashMap<>(headers);
        named.put(PROVIDER_HEADER, List.of(tried.getLast().name()));
        named.put(ROUTE_HEADER, List.of(Route.describe(tried)));
        return named;
    }

    private CallResult answered(
            Attempts.Call call,
            boolean keyed,
            KeyClaim claim,
            Attempts.End.Answer end,
            MemoryBudget.Reservation memory,
            List<Provider> tried) {
        UpstreamAnswer answer = end.answer();
        Provider provider = call.provider();
        String keyOwner = claim.ownerId() != null ? claim.ownerId() : provider.id();
        String resolvedEntryId = claim.dlqEntryId();
        // Kept with the answer: a replay names the provider that answered, as the first answer did.
        Map<String, List<String>> headers = withRoute(answer.headers(), tried);
        if (end.bytes() != null) {
            byte[] body = end.bytes().length <= maxKeptAnswerBytes ? end.bytes() : null;
            StoredResponse kept = keyed ? new StoredResponse(answer.status(), headers, body) : null;
            recordAnswered(provider, keyOwner, call.key(), kept, resolvedEntryId, end.sent());
            claim.settled();
            return new CallResult.Answered(
                    answer.status(), headers, new AnswerBody.Bytes(end.bytes()), end.sent(), call.key());
        }
        // A streamed answer: the call is recorded when the stream has been passed on, by the stream's end.
        claim.settled();
        AnswerBody.Streamed body = new AnswerBody.Streamed(answer, keyed ? maxKeptAnswerBytes : 0, memory, how -> {
            StoredResponse kept = keyed ? new StoredResponse(answer.status(), headers, how.kept()) : null;
            recordAnswered(provider, keyOwner, call.key(), kept, resolvedEntryId, end.sent());
        });
        return new CallResult.Answered(answer.status(), headers, body, end.sent(), call.key());
    }

    private void recordAnswered(
            Provider provider, String keyOwner, String key, StoredResponse kept, String resolvedEntryId, int sent) {
        try {
            records.record(new CallRecord.Answered(provider.tenantId(), keyOwner, key, kept, resolvedEntryId, sent));
        } catch (RuntimeException e) {
            // The provider has acted: its answer reaches the caller whatever happens here. The key stays
            // in flight (409 to a retry) until its lease ends, rather than inviting a second charge.
            LOG.severe("the answer of provider " + provider.id()
                    + " could be kept neither in the registry nor in the spool ("
                    + e.getClass().getSimpleName() + "); its idempotency key stays in flight until its lease ends");
        }
    }

    private CallResult park(
            Attempts.Call call,
            boolean keyed,
            boolean replay,
            KeyClaim claim,
            LastError error,
            int sent,
            boolean timedOut) {
        Provider provider = call.provider();
        String existingEntryId = claim.dlqEntryId();
        String entryId = existingEntryId != null ? existingEntryId : Ids.newId();
        ProblemType type = timedOut ? ProblemType.UPSTREAM_TIMEOUT : ProblemType.UPSTREAM_FAILED;
        CallRecords.Kept kept;
        try {
            kept = records.record(new CallRecord.Parked(
                    provider.tenantId(),
                    provider.id(),
                    call.key(),
                    keyed,
                    entryId,
                    existingEntryId == null,
                    call.request().toKept(),
                    error,
                    sent,
                    replay,
                    claim.ownerId(),
                    call.module()));
            claim.settled();
        } catch (RuntimeException e) {
            // Neither the registry nor the local disk took it. Not silent: the caller learns that nothing was parked.
            LOG.severe("a failed call to provider " + provider.id()
                    + " could be parked neither in the DLQ nor in the spool ("
                    + e.getClass().getSimpleName() + ")");
            return new CallResult.Parked(
                    new ApiException(
                                    type,
                                    error.message()
                                            + "; the call could NOT be parked in the dead letter queue, retry it yourself")
                            .header("X-Integration-Attempts", Integer.toString(sent)),
                    null,
                    error,
                    sent);
        }
        String where = kept == CallRecords.Kept.REGISTRY
                ? "parked in the dead letter queue"
                : "parked; it reaches the dead letter queue as soon as the registry is reachable again";
        return new CallResult.Parked(
                new ApiException(type, error.message() + " after " + sent + " attempt(s); " + where)
                        .header("X-Integration-Attempts", Integer.toString(sent))
                        .header("Idempotency-Key", call.key())
                        .extension("dlqEntryId", entryId)
                        .extension("attempts", sent),
                entryId,
                error,
                sent);
    }

    /**
     * The caller's deadline passed: no dead letter (the caller who gave up decides what happens
     * next). The key's claim is not settled, so it is released as for a call that was never
     * answered: a later call with the same key runs again, sending the provider the same
     * Idempotency-Key, as after a timed-out call.
     */
    private static CallResult expired(Attempts.Call call, LastError error, int sent) {
        Duration budget = call.deadline().budget();
        String detail = "the caller's deadline of " + Math.max(0, budget.toMillis()) + " ms passed after " + sent
                + " attempt(s)"
                + (error == null ? "" : " (the last: " + error.message() + ")")
                + "; nothing was parked in the dead letter queue";
        return new CallResult.Expired(
                new ApiException(ProblemType.DEADLINE_EXCEEDED, detail)
                        .header("X-Integration-Attempts", Integer.toString(sent))
                        .header("Idempotency-Key", call.key())
                        .extension("attempts", sent),
                sent);
    }

    private static CallResult rejected(ProblemType type, String detail) {
        return new CallResult.Rejected(new ApiException(type, detail));
    }

    private static ApiException rejection(Provider provider, Decision decision, int rateLimit) {
        return switch (decision) {
            // RateLimit-* (IETF draft) tell a client the budget, not just when to come back.
            case Decision.RateLimited limited ->
                new ApiException(
                                ProblemType.RATE_LIMITED,
                                "provider " + provider.name() + " is at its outgoing rate limit of " + rateLimit
                                        + " calls per second")
                        .header("Retry-After", seconds(limited.retryAfter()))
                        .header("RateLimit-Limit", Integer.toString(rateLimit))
                        .header("RateLimit-Remaining", "0")
                        .header("RateLimit-Reset", seconds(limited.retryAfter()));
            case Decision.CircuitOpen open ->
                new ApiException(
                                ProblemType.CIRCUIT_OPEN,
                                "the circuit breaker of provider " + provider.name() + " is open")
                        .header("Retry-After", seconds(open.retryAfter()))
                        .header("X-Circuit-Breaker-Open", "true");
            case Decision.ProviderThrottled throttled ->
                new ApiException(
                                ProblemType.PROVIDER_THROTTLED,
                                "provider " + provider.name() + " asked the hub to wait")
                        .header("Retry-After", seconds(throttled.retryAfter()))
                        .extension("retryAfterSeconds", Long.parseLong(seconds(throttled.retryAfter())));
            case Decision.QueueFull full ->
                new ApiException(
                                ProblemType.OVERLOADED,
                                "too many calls wait for provider " + provider.name()
                                        + "'s rate limit on this instance; retry shortly")
                        .header("Retry-After", "1");
            case Decision.Admitted admitted -> throw new IllegalStateException("not a rejection");
            case Decision.RetryBudgetExhausted exhausted ->
                throw new IllegalStateException("a first attempt has no retry budget");
        };
    }

    /**
     * The Idempotency-Key the hub sends for a call that came without one, so that all its attempts
     * are one request to the provider: a version-4 UUID, unique but not secret, so from
     * ThreadLocalRandom (UUID.randomUUID's SecureRandom serialises every call on one lock).
     */
    private static String newCallKey() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Whole seconds, rounded up, never 0 (a Retry-After of 0 invites an immediate retry storm). */
    static String seconds(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        return Long.toString((millis + 999) / 1000);
    }

    private static String method(String method, String field) {
        if (method == null || !METHODS.contains(method)) {
            throw ApiException.validation(field, "must be one of " + String.join("|", new TreeSet<>(METHODS)));
        }
        return method;
    }

    /** One attempt's timeout at this provider; the caller's deadline caps it attempt by attempt ({@link Attempts}). */
    private static Duration timeout(Provider provider) {
        return Duration.ofMillis(provider.config().timeoutMs());
    }

    /**
     * How long a route's claim blocks its key if this instance dies: the worst case of every provider
     * on it, and never longer than the caller's deadline (plus the margin) when one was named.
     */
    private static Duration lease(Route route, CallDeadline deadline) {
        Duration lease = Duration.ZERO;
        for (Route.Leg leg : route.legs()) {
            lease = lease.plus(lease(leg.provider(), leg.timeout()));
        }
        if (deadline.bounded()) {
            Duration bound = deadline.budget().isNegative()
                    ? LEASE_MARGIN
                    : deadline.budget().plus(LEASE_MARGIN);
            return bound.compareTo(lease) < 0 ? bound : lease;
        }
        return lease;
    }

    /** How long an in-flight claim blocks its key if this instance dies: the worst case of this call, plus a margin. */
    private static Duration lease(Provider provider, Duration timeout) {
        ProviderConfig.Retry retry = provider.config().retry();
        Duration backoff = new Backoff(retry, RandomGenerator.getDefault())
                .remainingBudget(1)
                .plusMillis((long) retry.jitterMs() * retry.maxAttempts());
        return timeout.multipliedBy(retry.maxAttempts()).plus(backoff).plus(LEASE_MARGIN);
    }

    /** What makes two requests "the same" for an idempotency key: method, path, query and body (streamed through). */
    static String fingerprint(OutboundRequest request) {
        MessageDigest digest = sha256();
        digestRequest(digest, request);
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The fingerprint of an envelope with alternatives: the whole envelope — every provider of the
     * route with its request, headers included — so a key reused with other alternatives is a mismatch.
     */
    static String fingerprint(Route route) {
        MessageDigest digest = sha256();
        for (Route.Leg leg : route.legs()) {
            digest.update(("provider " + leg.provider().id() + '\n').getBytes(StandardCharsets.UTF_8));
            digestRequest(digest, leg.request());
            new TreeMap<>(leg.request().headers())
                    .forEach((name, values) -> digest.update(
                            (name + ": " + String.join(",", values) + '\n').getBytes(StandardCharsets.UTF_8)));
            digest.update(("content-type " + leg.request().contentType() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void digestRequest(MessageDigest digest, OutboundRequest request) {
        digest.update((request.method()
                        + '\n'
                        + request.path()
                        + '\n'
                        + (request.query() == null ? "" : request.query())
                        + '\n')
                .getBytes(StandardCharsets.UTF_8));
        request.body().digest(digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
