package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.ConcurrencyLimits;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.admission.Outcome;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.ProblemType;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.credentials.CredentialInjector;
import io.integrationhub.dataplane.credentials.QueryCredentialClash;
import io.integrationhub.dataplane.credentials.OAuth2Failure;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.dataplane.callrecord.CallRecord;
import io.integrationhub.dataplane.callrecord.CallRecords;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The call pipeline of DESIGN §3, shared by the envelope route, the proxy route and DLQ replay:
 * resolve, claim the idempotency key, admit, inject auth, call with a timeout, retry with backoff,
 * and finally answer with the provider's answer or park the call in the DLQ.
 */
public final class CallService {
    private static final Logger LOG = Logger.getLogger(CallService.class.getName());
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final ProviderCache providers;
    private final Admission admission;
    private final ConcurrencyLimits concurrency;
    private final CredentialInjector credentials;
    private final UpstreamCaller upstream;
    private final IdempotencyRepository idempotency;
    private final CallRecords records;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;
    private final int defaultRateLimitPerSec;
    private final CallStats stats;
    private final CallObserver observer;

    public CallService(ProviderCache providers, Admission admission, ConcurrencyLimits concurrency, CredentialInjector credentials,
            io.integrationhub.dataplane.egress.OutboundClients clients, IdempotencyRepository idempotency, CallRecords records,
            Sleeper sleeper, Clock clock, RandomGenerator random, int defaultRateLimitPerSec, CallStats stats) {
        this(providers, admission, concurrency, credentials, clients, idempotency, records, sleeper, clock, random,
                defaultRateLimitPerSec, stats, CallObserver.NONE);
    }

    /** As above, telling {@code observer} how each call goes (metrics, span, access log). */
    public CallService(ProviderCache providers, Admission admission, ConcurrencyLimits concurrency, CredentialInjector credentials,
            io.integrationhub.dataplane.egress.OutboundClients clients, IdempotencyRepository idempotency, CallRecords records,
            Sleeper sleeper, Clock clock, RandomGenerator random, int defaultRateLimitPerSec, CallStats stats, CallObserver observer) {
        this.observer = observer;
        this.providers = providers;
        this.admission = admission;
        this.concurrency = concurrency;
        this.credentials = credentials;
        this.upstream = new UpstreamCaller(clients);
        this.idempotency = idempotency;
        this.records = records;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
        this.defaultRateLimitPerSec = defaultRateLimitPerSec;
        this.stats = stats;
    }

    public CallResult execute(Caller caller, CallRequest request) {
        try (CallObserver.Observation observation = observer.start(caller.tenantId(), request.method(), request.traceparent())) {
            try {
                CallResult result = execute(caller, request, observation);
                switch (result) {
                    case CallResult.Answered answered -> observation.answered(answered.status(), false);
                    case CallResult.Replayed replayed -> observation.answered(replayed.response().status(), true);
                }
                return result;
            } catch (RuntimeException e) {
                observation.failed(e);
                throw e;
            }
        }
    }

    private CallResult execute(Caller caller, CallRequest request, CallObserver.Observation observation) {
        Provider provider = providers.resolve(caller.tenantId(), request.providerRef());
        observation.provider(provider);
        if (provider.status() == ProviderStatus.DISABLED) {
            throw new ApiException(ProblemType.PROVIDER_DISABLED, "provider " + provider.name() + " is disabled");
        }
        String method = method(request.method());
        FailedRequest outbound = new FailedRequest(method, OutboundPaths.path(request.path()),
                OutboundPaths.rawQuery(request.rawQuery(), "query"), OutboundHeaders.fromCaller(request.headers(), "headers"),
                request.contentType(), request.body());
        QueryCredentialClash.check(provider.auth(), outbound.query(), "query");
        Duration timeout = timeout(provider, request.timeoutMs());
        boolean keyed = request.idempotencyKey() != null;
        if (keyed && !IDEMPOTENCY_KEY.matcher(request.idempotencyKey()).matches()) {
            throw ApiException.validation("idempotencyKey", "must be 1-255 visible ASCII characters");
        }
        String key = keyed ? request.idempotencyKey() : newCallKey();
        String traceparent = observation.outboundTraceparent(Traceparent.forOutbound(request.traceparent()));

        Claim.Proceed claim = null;
        if (keyed) {
            Claim found = idempotency.claim(provider.tenantId(), provider.id(), key, fingerprint(outbound), lease(provider, timeout));
            switch (found) {
                case Claim.Replay replay -> {
                    return new CallResult.Replayed(replay.response(), key);
                }
                case Claim.InFlight inFlight -> throw new ApiException(ProblemType.IDEMPOTENCY_CONFLICT,
                        "a call with this Idempotency-Key is still in progress; retry later").header("Retry-After", "1");
                case Claim.Mismatch mismatch -> throw new ApiException(ProblemType.IDEMPOTENCY_MISMATCH,
                        "this Idempotency-Key was used for a different request (method, path, query or body)");
                case Claim.Proceed proceed -> claim = proceed;
            }
        }
        ConcurrencyLimits.Permit permit = concurrency.tryAcquire(provider);
        if (permit == null) {
            release(provider, key, claim);
            throw new ApiException(ProblemType.CONCURRENCY_LIMITED, "provider " + provider.name() + " has "
                    + provider.config().maxConcurrency() + " calls in flight on this instance").header("Retry-After", "1");
        }
        try {
            return attempts(new Call(provider, outbound, key, keyed, claim, traceparent, timeout, false, observation));
        } finally {
            permit.release();
        }
    }

    /**
     * Replays a dead letter through the same pipeline with the same idempotency key (an operator's
     * retry). The key is claimed first, so a module's own retry of the same call and this replay
     * never both reach the provider.
     */
    public ReplayOutcome replay(DeadLetter entry, FailedRequest request) {
        Provider provider = providers.findById(entry.tenantId(), entry.providerId()).orElse(null);
        if (provider == null) {
            return ReplayOutcome.PROVIDER_GONE;
        }
        if (provider.status() == ProviderStatus.DISABLED) {
            return ReplayOutcome.RETRY_LATER;
        }
        Claim found = idempotency.claim(provider.tenantId(), provider.id(), entry.idempotencyKey(), fingerprint(request),
                lease(provider, Duration.ofMillis(provider.config().timeoutMs())));
        Claim.Proceed claim;
        switch (found) {
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
            case Claim.Proceed proceed -> claim = new Claim.Proceed(entry.id());
        }
        ConcurrencyLimits.Permit permit = concurrency.tryAcquire(provider);
        if (permit == null) {
            release(provider, entry.idempotencyKey(), claim);
            return ReplayOutcome.RETRY_LATER;
        }
        try {
            attempts(new Call(provider, request, entry.idempotencyKey(), true, claim, Traceparent.forOutbound(null),
                    Duration.ofMillis(provider.config().timeoutMs()), true, CallObserver.Observation.NONE));
            return ReplayOutcome.SUCCEEDED;
        } catch (ApiException e) {
            return switch (e.type()) {
                case RATE_LIMITED, CIRCUIT_OPEN, PROVIDER_THROTTLED -> ReplayOutcome.RETRY_LATER;
                default -> ReplayOutcome.FAILED;
            };
        } finally {
            permit.release();
        }
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

    /** Everything about one call that its attempts share. */
    private record Call(Provider provider, FailedRequest request, String key, boolean keyed, Claim.Proceed claim,
            String traceparent, Duration timeout, boolean replay, CallObserver.Observation observation) {}

    private CallResult attempts(Call call) {
        Provider provider = call.provider();
        ProviderConfig.Retry retry = provider.config().retry();
        Backoff backoff = new Backoff(retry, random);
        int rateLimit = provider.config().effectiveRateLimitPerSec(defaultRateLimitPerSec);
        int sent = 0;
        boolean refreshedToken = false;
        LastError lastError = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Decision decision = admission.admit(provider, rateLimit, sent > 0);
            if (!(decision instanceof Decision.Admitted admitted)) {
                if (sent == 0) {
                    release(provider, call.key(), call.claim());
                    throw rejection(provider, decision, rateLimit);
                }
                // A retry the limiter, breaker or retry budget refuses is not waited for: the call goes to the DLQ.
                String why = decision instanceof Decision.RetryBudgetExhausted ? "the provider's retry budget is spent"
                        : "admission refused a retry (" + decision.getClass().getSimpleName() + ")";
                lastError = lastError == null ? new LastError("rejected", null, why)
                        : new LastError(lastError.kind(), lastError.status(), lastError.message() + "; " + why);
                break;
            }
            Optional<Duration> retryAfter = Optional.empty();
            OutboundAuth auth;
            try {
                auth = credentials.authFor(provider);
            } catch (OAuth2Failure failure) {
                admission.record(provider, admitted, failure.retryable() ? Outcome.FAILURE : Outcome.NEUTRAL);
                lastError = new LastError("auth", failure.status(), failure.getMessage());
                if (!failure.retryable() || attempt == retry.maxAttempts()) {
                    break;
                }
                sleep(backoff.delay(attempt));
                continue;
            }
            sent++;
            URI uri = OutboundPaths.compose(provider.baseUrl(), call.request().path(), call.request().query(), auth.queryParameters());
            Map<String, List<String>> headers = OutboundHeaders.compose(provider.config().defaultHeaders(), call.request().headers(),
                    auth, call.key(), call.traceparent(), contentType(call.request()));
            UpstreamAnswer answer;
            long started = System.nanoTime();
            try {
                answer = upstream.call(provider.config().allowPrivateNetwork(), call.request().method(), uri, headers,
                        call.request().body(), call.timeout());
                stats.attempt(provider.id(), Duration.ofNanos(System.nanoTime() - started), answer.status() >= 500);
                call.observation().attempt(Duration.ofNanos(System.nanoTime() - started), answer.status());
            } catch (AttemptFailedException failure) {
                stats.attempt(provider.id(), Duration.ofNanos(System.nanoTime() - started), true);
                call.observation().attemptFailed(Duration.ofNanos(System.nanoTime() - started),
                        failure.kind().name().toLowerCase(java.util.Locale.ROOT));
                switch (failure.kind()) {
                    case FORBIDDEN_DESTINATION -> {
                        admission.record(provider, admitted, Outcome.NEUTRAL);
                        release(provider, call.key(), call.claim());
                        throw new ApiException(ProblemType.FORBIDDEN_DESTINATION, failure.getMessage());
                    }
                    case RESPONSE_TOO_LARGE -> {
                        admission.record(provider, admitted, Outcome.NEUTRAL);
                        lastError = new LastError("response_too_large", null, failure.getMessage());
                        return park(call, lastError, sent, false);
                    }
                    case TIMEOUT, NETWORK -> {
                        admission.record(provider, admitted, Outcome.FAILURE);
                        lastError = new LastError(failure.kind() == AttemptFailedException.Kind.TIMEOUT ? "timeout" : "network",
                                null, failure.getMessage());
                    }
                }
                answer = null;
            }
            if (answer != null) {
                if (answer.status() == 401 && !refreshedToken && credentials.refusedToken(provider, auth)) {
                    // The OAuth2 token was refused: one immediate retry with a fresh token, outside the backoff schedule.
                    admission.record(provider, admitted, Outcome.NEUTRAL);
                    refreshedToken = true;
                    attempt--;
                    continue;
                }
                // Only a 429 or a 5xx is waited on (and may pause the provider): other answers skip the header scan.
                retryAfter = answer.status() == 429 || answer.status() >= 500
                        ? RetryAfter.from(answer.headers(), clock.instant()) : Optional.empty();
                boolean throttled = answer.status() == 429 && retryAfter.isPresent();
                if (answer.status() < 500 && !throttled) {
                    admission.record(provider, admitted, answer.status() < 400 ? Outcome.SUCCESS : Outcome.NEUTRAL);
                    return answered(call, answer, sent);
                }
                admission.record(provider, admitted, throttled ? Outcome.NEUTRAL : Outcome.FAILURE);
                if (retryAfter.isPresent() && (throttled || answer.status() == 503)) {
                    admission.pause(provider, retryAfter.get());
                }
                lastError = new LastError("upstream_status", answer.status(), "the provider answered " + answer.status());
            }
            if (attempt == retry.maxAttempts()) {
                break;
            }
            Duration wait = backoff.delay(attempt);
            if (retryAfter.isPresent()) {
                if (retryAfter.get().compareTo(backoff.remainingBudget(attempt)) > 0) {
                    lastError = new LastError(lastError.kind(), lastError.status(), lastError.message()
                            + "; its Retry-After of " + retryAfter.get().toSeconds() + " s exceeds the backoff budget");
                    break;
                }
                wait = retryAfter.get();
            }
            sleep(wait);
        }
        return park(call, lastError, sent, lastError != null && "timeout".equals(lastError.kind()));
    }

    private CallResult answered(Call call, UpstreamAnswer answer, int sent) {
        Provider provider = call.provider();
        StoredResponse kept = call.keyed() ? new StoredResponse(answer.status(), answer.headers(), answer.body()) : null;
        String resolvedEntryId = call.claim() == null ? null : call.claim().dlqEntryId();
        try {
            records.record(new CallRecord.Answered(provider.tenantId(), provider.id(), call.key(), kept, resolvedEntryId, sent));
        } catch (RuntimeException e) {
            // The provider has acted: its answer reaches the caller whatever happens here. The key stays
            // in flight (409 to a retry) until its lease ends, rather than inviting a second charge.
            LOG.severe("the answer of provider " + provider.id() + " could be kept neither in the registry nor in the spool ("
                    + e.getClass().getSimpleName() + "); its idempotency key stays in flight until its lease ends");
        }
        return new CallResult.Answered(answer.status(), answer.headers(), answer.body(), sent, call.key());
    }

    private CallResult park(Call call, LastError error, int sent, boolean timedOut) {
        Provider provider = call.provider();
        String existingEntryId = call.claim() == null ? null : call.claim().dlqEntryId();
        String entryId = existingEntryId != null ? existingEntryId : Ids.newId();
        ProblemType type = timedOut ? ProblemType.UPSTREAM_TIMEOUT : ProblemType.UPSTREAM_FAILED;
        CallRecords.Kept kept;
        try {
            kept = records.record(new CallRecord.Parked(provider.tenantId(), provider.id(), call.key(), call.keyed(), entryId,
                    existingEntryId == null, call.request(), error, sent, call.replay()));
        } catch (RuntimeException e) {
            // Neither the registry nor the local disk took it. Not silent: the caller learns that nothing was parked.
            LOG.severe("a failed call to provider " + provider.id() + " could be parked neither in the DLQ nor in the spool ("
                    + e.getClass().getSimpleName() + ")");
            throw new ApiException(type, error.message() + "; the call could NOT be parked in the dead letter queue, retry it yourself")
                    .header("X-Integration-Attempts", Integer.toString(sent));
        }
        String where = kept == CallRecords.Kept.REGISTRY ? "parked in the dead letter queue"
                : "parked; it reaches the dead letter queue as soon as the registry is reachable again";
        throw new ApiException(type, error.message() + " after " + sent + " attempt(s); " + where)
                .header("X-Integration-Attempts", Integer.toString(sent))
                .header("Idempotency-Key", call.key())
                .extension("dlqEntryId", entryId)
                .extension("attempts", sent);
    }

    private void release(Provider provider, String key, Claim.Proceed claim) {
        if (claim != null) {
            idempotency.release(provider.tenantId(), provider.id(), key, claim);
        }
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
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
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
            throw ApiException.validation("method", "must be one of " + String.join("|", new java.util.TreeSet<>(METHODS)));
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

    private static String contentType(FailedRequest request) {
        return request.contentType() != null ? request.contentType() : request.body().length > 0 ? "application/octet-stream" : null;
    }

    /** What makes two requests "the same" for an idempotency key: method, path, query and body. */
    static String fingerprint(FailedRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.method() + '\n' + request.path() + '\n' + (request.query() == null ? "" : request.query()) + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(request.body());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemType.UNAVAILABLE, "the hub is shutting down");
        }
    }
}
