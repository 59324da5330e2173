package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.ConcurrencyLimits;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.ProblemType;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.MemoryBudget;
import io.integrationhub.dataplane.credentials.QueryCredentialClash;
import io.integrationhub.dataplane.callrecord.CallRecord;
import io.integrationhub.dataplane.callrecord.CallRecords;
import io.integrationhub.dataplane.credentials.OutboundCredentials;
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
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
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
    public CallService(ProviderCache providers, Admission admission, ConcurrencyLimits concurrency, OutboundCredentials credentials,
            OutboundClients clients, IdempotencyRepository idempotency, CallRecords records, Sleeper sleeper, Clock clock,
            RandomGenerator random, int defaultRateLimitPerSec, CallStats stats, CallObserver observer, Bodies bodies,
            long maxKeptAnswerBytes) {
        this(providers, concurrency, idempotency, records, observer, bodies, maxKeptAnswerBytes,
                new Attempts(admission, credentials, new UpstreamCaller(clients), sleeper, clock, random, defaultRateLimitPerSec, stats));
    }

    CallService(ProviderCache providers, ConcurrencyLimits concurrency, IdempotencyRepository idempotency, CallRecords records,
            CallObserver observer, Bodies bodies, long maxKeptAnswerBytes, Attempts attempts) {
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
        try (CallObserver.Observation observation = observer.start(caller.tenantId(), request.method(), request.traceparent())) {
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
                case CallResult.Replayed replayed -> observation.answered(replayed.response().status(), true);
                case CallResult.Rejected rejected -> observation.failed(rejected.problem());
                case CallResult.Parked parked -> observation.failed(parked.problem());
            }
            return result;
        }
    }

    private CallResult run(Caller caller, CallRequest request, MemoryBudget.Reservation memory,
            CallObserver.Observation observation) {
        Provider provider = providers.resolve(caller.tenantId(), request.providerRef());
        observation.provider(provider);
        if (provider.status() == ProviderStatus.DISABLED) {
            return rejected(ProblemType.PROVIDER_DISABLED, "provider " + provider.name() + " is disabled");
        }
        String[] pathAndQuery = OutboundPaths.pathAndQuery(request.path(), request.rawQuery());
        OutboundRequest outbound = new OutboundRequest(method(request.method()), pathAndQuery[0], pathAndQuery[1],
                OutboundHeaders.fromCaller(request.headers(), "headers"), request.contentType(), request.body());
        QueryCredentialClash.check(provider.auth(), outbound.query(), "query");
        Duration timeout = timeout(provider, request.timeoutMs());
        boolean keyed = request.idempotencyKey() != null;
        if (keyed && !IDEMPOTENCY_KEY.matcher(request.idempotencyKey()).matches()) {
            throw ApiException.validation("idempotencyKey", "must be 1-255 visible ASCII characters");
        }
        String key = keyed ? request.idempotencyKey() : newCallKey();
        String traceparent = observation.outboundTraceparent(Traceparent.forOutbound(request.traceparent()));

        KeyClaim claim = KeyClaim.none();
        if (keyed) {
            switch (idempotency.claim(provider.tenantId(), provider.id(), key, fingerprint(outbound), lease(provider, timeout))) {
                case Claim.Replay replay -> {
                    return new CallResult.Replayed(replay.response(), key);
                }
                case Claim.InFlight inFlight -> {
                    return new CallResult.Rejected(new ApiException(ProblemType.IDEMPOTENCY_CONFLICT,
                            "a call with this Idempotency-Key is still in progress; retry later").header("Retry-After", "1"));
                }
                case Claim.Mismatch mismatch -> {
                    return rejected(ProblemType.IDEMPOTENCY_MISMATCH,
                            "this Idempotency-Key was used for a different request (method, path, query or body)");
                }
                case Claim.Proceed proceed -> claim = KeyClaim.of(idempotency, provider, key, proceed);
            }
        }
        try (KeyClaim owned = claim) {
            return attempt(new Attempts.Call(provider, outbound, key, traceparent, timeout, observation), keyed, false, owned, memory);
        }
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
        Provider provider = providers.findById(entry.tenantId(), entry.providerId()).orElse(null);
        if (provider == null) {
            return ReplayOutcome.PROVIDER_GONE;
        }
        if (provider.status() == ProviderStatus.DISABLED) {
            return ReplayOutcome.RETRY_LATER;
        }
        OutboundRequest request = OutboundRequest.of(kept);
        Duration timeout = Duration.ofMillis(provider.config().timeoutMs());
        KeyClaim claim;
        switch (idempotency.claim(provider.tenantId(), provider.id(), entry.idempotencyKey(), fingerprint(request),
                lease(provider, timeout))) {
            case Claim.Replay replay -> {
                // A module's retry with the same key already got the provider's answer.
                records.record(new CallRecord.Answered(provider.tenantId(), provider.id(), entry.idempotencyKey(), null,
                        entry.id(), 0));
                return ReplayOutcome.SUCCEEDED;
            }
            case Claim.InFlight inFlight -> {
                return ReplayOutcome.RETRY_LATER;
            }
            case Claim.Mismatch mismatch -> {
                return ReplayOutcome.FAILED;
            }
            case Claim.Proceed proceed -> claim = KeyClaim.of(idempotency, provider, entry.idempotencyKey(), new Claim.Proceed(entry.id()));
        }
        CallResult result;
        try (KeyClaim owned = claim) {
            result = attempt(new Attempts.Call(provider, request, entry.idempotencyKey(), Traceparent.forOutbound(null), timeout,
                    CallObserver.Observation.NONE), true, true, owned, memory);
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
            case CallResult.Rejected rejected -> switch (rejected.problem().type()) {
                case RATE_LIMITED, CIRCUIT_OPEN, PROVIDER_THROTTLED, CONCURRENCY_LIMITED, UNAVAILABLE -> ReplayOutcome.RETRY_LATER;
                default -> ReplayOutcome.FAILED;
            };
            case CallResult.Parked parked -> ReplayOutcome.FAILED;
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

    /** The attempts of a call holding its concurrency permit, and what their end means for the caller. */
    private CallResult attempt(Attempts.Call call, boolean keyed, boolean replay, KeyClaim claim, MemoryBudget.Reservation memory) {
        Provider provider = call.provider();
        ConcurrencyLimits.Permit permit = concurrency.tryAcquire(provider);
        if (permit == null) {
            return new CallResult.Rejected(new ApiException(ProblemType.CONCURRENCY_LIMITED, "provider " + provider.name() + " has "
                    + provider.config().maxConcurrency() + " calls in flight on this instance").header("Retry-After", "1"));
        }
        try {
            return switch (attempts.run(call)) {
                case Attempts.End.Answer answer -> answered(call, keyed, claim, answer, memory);
                case Attempts.End.Refused refused -> new CallResult.Rejected(rejection(provider, refused.decision(), refused.rateLimit()));
                case Attempts.End.Forbidden forbidden -> rejected(ProblemType.FORBIDDEN_DESTINATION, forbidden.message());
                case Attempts.End.GaveUp gaveUp -> park(call, keyed, replay, claim, gaveUp.error(), gaveUp.sent(), gaveUp.timedOut());
                case Attempts.End.Interrupted interrupted -> interrupted.sent() == 0
                        ? rejected(ProblemType.UNAVAILABLE, "the hub is shutting down")
                        : park(call, keyed, replay, claim, interrupted.error(), interrupted.sent(), false);
            };
        } finally {
            permit.release();
        }
    }

    private CallResult answered(Attempts.Call call, boolean keyed, KeyClaim claim, Attempts.End.Answer end,
            MemoryBudget.Reservation memory) {
        UpstreamAnswer answer = end.answer();
        Provider provider = call.provider();
        String resolvedEntryId = claim.dlqEntryId();
        if (end.bytes() != null) {
            byte[] body = end.bytes().length <= maxKeptAnswerBytes ? end.bytes() : null;
            StoredResponse kept = keyed ? new StoredResponse(answer.status(), answer.headers(), body) : null;
            recordAnswered(provider, call.key(), kept, resolvedEntryId, end.sent());
            claim.settled();
            return new CallResult.Answered(answer.status(), answer.headers(), new AnswerBody.Bytes(end.bytes()), end.sent(), call.key());
        }
        // A streamed answer: the call is recorded when the stream has been passed on, by the stream's end.
        claim.settled();
        AnswerBody.Streamed body = new AnswerBody.Streamed(answer, keyed ? maxKeptAnswerBytes : 0, memory, how -> {
            StoredResponse kept = keyed ? new StoredResponse(answer.status(), answer.headers(), how.kept()) : null;
            recordAnswered(provider, call.key(), kept, resolvedEntryId, end.sent());
        });
        return new CallResult.Answered(answer.status(), answer.headers(), body, end.sent(), call.key());
    }

    private void recordAnswered(Provider provider, String key, StoredResponse kept, String resolvedEntryId, int sent) {
        try {
            records.record(new CallRecord.Answered(provider.tenantId(), provider.id(), key, kept, resolvedEntryId, sent));
        } catch (RuntimeException e) {
            // The provider has acted: its answer reaches the caller whatever happens here. The key stays
            // in flight (409 to a retry) until its lease ends, rather than inviting a second charge.
            LOG.severe("the answer of provider " + provider.id() + " could be kept neither in the registry nor in the spool ("
                    + e.getClass().getSimpleName() + "); its idempotency key stays in flight until its lease ends");
        }
    }

    private CallResult park(Attempts.Call call, boolean keyed, boolean replay, KeyClaim claim, LastError error, int sent,
            boolean timedOut) {
        Provider provider = call.provider();
        String existingEntryId = claim.dlqEntryId();
        String entryId = existingEntryId != null ? existingEntryId : Ids.newId();
        ProblemType type = timedOut ? ProblemType.UPSTREAM_TIMEOUT : ProblemType.UPSTREAM_FAILED;
        CallRecords.Kept kept;
        try {
            kept = records.record(new CallRecord.Parked(provider.tenantId(), provider.id(), call.key(), keyed, entryId,
                    existingEntryId == null, call.request().toKept(), error, sent, replay));
            claim.settled();
        } catch (RuntimeException e) {
            // Neither the registry nor the local disk took it. Not silent: the caller learns that nothing was parked.
            LOG.severe("a failed call to provider " + provider.id() + " could be parked neither in the DLQ nor in the spool ("
                    + e.getClass().getSimpleName() + ")");
            return new CallResult.Parked(new ApiException(type, error.message()
                    + "; the call could NOT be parked in the dead letter queue, retry it yourself")
                    .header("X-Integration-Attempts", Integer.toString(sent)), null, error, sent);
        }
        String where = kept == CallRecords.Kept.REGISTRY ? "parked in the dead letter queue"
                : "parked; it reaches the dead letter queue as soon as the registry is reachable again";
        return new CallResult.Parked(new ApiException(type, error.message() + " after " + sent + " attempt(s); " + where)
                .header("X-Integration-Attempts", Integer.toString(sent))
                .header("Idempotency-Key", call.key())
                .extension("dlqEntryId", entryId)
                .extension("attempts", sent), entryId, error, sent);
    }

    private static CallResult rejected(ProblemType type, String detail) {
        return new CallResult.Rejected(new ApiException(type, detail));
    }

    private static ApiException rejection(Provider provider, Decision decision, int rateLimit) {
        return switch (decision) {
            // RateLimit-* (IETF draft) tell a client the budget, not just when to come back.
            case Decision.RateLimited limited -> new ApiException(ProblemType.RATE_LIMITED, "provider " + provider.name()
                    + " is at its outgoing rate limit of " + rateLimit + " calls per second")
                    .header("Retry-After", seconds(limited.retryAfter()))
                    .header("RateLimit-Limit", Integer.toString(rateLimit))
                    .header("RateLimit-Remaining", "0")
                    .header("RateLimit-Reset", seconds(limited.retryAfter()));
            case Decision.CircuitOpen open -> new ApiException(ProblemType.CIRCUIT_OPEN, "the circuit breaker of provider "
                    + provider.name() + " is open").header("Retry-After", seconds(open.retryAfter()))
                    .header("X-Circuit-Breaker-Open", "true");
            case Decision.ProviderThrottled throttled -> new ApiException(ProblemType.PROVIDER_THROTTLED, "provider "
                    + provider.name() + " asked the hub to wait").header("Retry-After", seconds(throttled.retryAfter()))
                    .extension("retryAfterSeconds", Long.parseLong(seconds(throttled.retryAfter())));
            case Decision.Admitted admitted -> throw new IllegalStateException("not a rejection");
            case Decision.RetryBudgetExhausted exhausted -> throw new IllegalStateException("a first attempt has no retry budget");
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

    private static String method(String method) {
        if (method == null || !METHODS.contains(method)) {
            throw ApiException.validation("method", "must be one of " + String.join("|", new TreeSet<>(METHODS)));
        }
        return method;
    }

    private static Duration timeout(Provider provider, Integer requested) {
        int providerTimeout = provider.config().timeoutMs();
        if (requested == null) {
            return Duration.ofMillis(providerTimeout);
        }
        if (requested < 1) {
            throw ApiException.validation("timeoutMs", "must be at least 1");
        }
        return Duration.ofMillis(Math.min(requested, providerTimeout));
    }

    /** How long an in-flight claim blocks its key if this instance dies: the worst case of this call, plus a margin. */
    private static Duration lease(Provider provider, Duration timeout) {
        ProviderConfig.Retry retry = provider.config().retry();
        Duration backoff = new Backoff(retry, RandomGenerator.getDefault()).remainingBudget(1)
                .plusMillis((long) retry.jitterMs() * retry.maxAttempts());
        return timeout.multipliedBy(retry.maxAttempts()).plus(backoff).plus(LEASE_MARGIN);
    }

    /** What makes two requests "the same" for an idempotency key: method, path, query and body (streamed through). */
    static String fingerprint(OutboundRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.method() + '\n' + request.path() + '\n' + (request.query() == null ? "" : request.query()) + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            request.body().digest(digest);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
