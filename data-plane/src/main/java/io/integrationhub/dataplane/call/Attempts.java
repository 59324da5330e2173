package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.Allowance;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.admission.Outcome;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.call.failover.MoveOn;
import io.integrationhub.dataplane.credentials.OAuth2Failure;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.dataplane.credentials.OutboundCredentials;
import io.integrationhub.dataplane.observe.CallObserver;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The attempt loop of one call (DESIGN §3): admission before each attempt, credentials, the
 * upstream request, and what each answer means — the final answer, a retry after backoff or the
 * provider's Retry-After, or giving up. It retries only while nothing of the provider's answer has
 * been passed on: a final answer leaves here unread (or read whole when small), and from then on
 * the call is never sent again. Time comes from {@link Clock} and {@link Sleeper} only, so every
 * rule is unit-tested in milliseconds.
 */
final class Attempts {
    /** A final answer declared at most this long is read whole here (a read failure is then still retried). */
    static final int SMALL_ANSWER_BYTES = 16 * 1024;

    /** How the attempts ended. */
    sealed interface End {
        /** The provider's final answer: {@code bytes} when read whole, else null and {@code answer} is open. */
        record Answer(UpstreamAnswer answer, byte[] bytes, int sent) implements End {}

        /** Admission refused the first attempt: nothing was sent. */
        record Refused(Decision decision, int rateLimit) implements End {}

        /** The destination is one the hub may not connect to: nothing was sent. */
        record Forbidden(String message) implements End {}

        /** Every allowed attempt failed. */
        record GaveUp(LastError error, int sent, boolean timedOut) implements End {}

        /** The hub is shutting down while the call waited between attempts. */
        record Interrupted(LastError error, int sent) implements End {}

        /**
         * The provider provably did not execute the call and its route goes on ({@link MoveOn}): the
         * next provider gets it. {@code sent} attempts reached (or tried to reach) this one.
         */
        record MovedOn(MoveOn.Reason reason, LastError error, int sent) implements End {}

        /**
         * The caller's deadline ends the call: no time is left for another attempt (or for the wait
         * before it), or it cut the attempt in flight. {@code error} is the last attempt's, null when
         * none was made.
         */
        record DeadlineExceeded(LastError error, int sent) implements End {}
    }

    /**
     * Everything about one call that its attempts share.
     *
     * @param module who the call is for: its class and cap at the provider ({@link Allowance}); a
     *     replay's is the module that made the original call
     * @param timeout the provider's timeout of one attempt; the deadline may cap it
     * @param mayMoveOn whether a next provider waits on the route (else the call stays here whatever happens)
     * @param onStatus this provider's answers its route declares as "not executed"
     * @param deadline the caller's deadline for the whole call, shared by every provider of its route
     */
    record Call(
            Provider provider,
            OutboundRequest request,
            String module,
            String key,
            String traceparent,
            Duration timeout,
            CallObserver.Observation observation,
            boolean mayMoveOn,
            Collection<Integer> onStatus,
            CallDeadline deadline) {

        /** A call with nowhere else to go, for a module not known (a replay). */
        Call(
                Provider provider,
                OutboundRequest request,
                String key,
                String traceparent,
                Duration timeout,
                CallObserver.Observation observation) {
            this(
                    provider,
                    request,
                    Caller.UNKNOWN_MODULE,
                    key,
                    traceparent,
                    timeout,
                    observation,
                    false,
                    List.of(),
                    CallDeadline.NONE);
        }
    }

    private final Admission admission;
    private final OutboundCredentials credentials;
    private final UpstreamCaller upstream;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;
    private final int defaultRateLimitPerSec;
    private final CallStats stats;
    private final Waiters waiters;

    Attempts(
            Admission admission,
            OutboundCredentials credentials,
            UpstreamCaller upstream,
            Sleeper sleeper,
            Clock clock,
            RandomGenerator random,
            int defaultRateLimitPerSec,
            CallStats stats,
            Waiters waiters) {
        this.admission = admission;
        this.credentials = credentials;
        this.upstream = upstream;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
        this.defaultRateLimitPerSec = defaultRateLimitPerSec;
        this.stats = stats;
        this.waiters = waiters;
    }

    /**
     * Whether a first attempt refused by the limiter may wait for a slot ({@code config.maxQueueMs}):
     * not when a next provider waits on the route, which takes the call at once instead.
     */
    private static boolean mayWait(Call call) {
        return call.provider().config().effectiveMaxQueueMs() > 0 && !call.mayMoveOn();
    }

    End run(Call call) {
        Provider provider = call.provider();
        ProviderConfig.Retry retry = provider.config().retry();
        Backoff backoff = new Backoff(retry, random);
        int rateLimit = provider.config().effectiveRateLimitPerSec(defaultRateLimitPerSec);
        Allowance allowance = Allowance.of(provider.config(), rateLimit, call.module());
        ProviderConfig.Priority priority = provider.config().priorityOf(call.module());
        int sent = 0;
        boolean refreshedToken = false;
        LastError lastError = null;
        CallDeadline deadline = call.deadline();
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            // Checked before admission: an attempt that cannot start takes no permit of the provider's limit.
            Duration timeout = deadline.attemptTimeout(call.timeout(), clock.instant());
            if (timeout == null) {
                return new End.DeadlineExceeded(lastError, sent);
            }
            // A wait for a free slot fits the caller's deadline too (and leaves an attempt's minimum after it).
            boolean mayHaveWaited = sent == 0 && mayWait(call);
            Decision decision = mayHaveWaited
                    ? waiters.admit(
                            provider.id(),
                            priority,
                            deadline.capWait(
                                    Duration.ofMillis(provider.config().effectiveMaxQueueMs()), clock.instant()),
                            () -> admission.admit(provider, allowance, false),
                            waited -> {
                                call.observation().waited(waited);
                                stats.waited(provider.id(), waited);
                            })
                    : admission.admit(provider, allowance, sent > 0);
            if (!(decision instanceof Decision.Admitted admitted)) {
                if (sent == 0) {
                    Optional<MoveOn.Reason> move = moveOn(call, 0, new MoveOn.Happened.Refused(refusal(decision)));
                    if (move.isPresent()) {
                        // Nothing was sent: the call moves on at once rather than waiting for this provider.
                        return new End.MovedOn(
                                move.get(),
                                new LastError(
                                        "rejected",
                                        null,
                                        "the hub refused to send it ("
                                                + move.get().label() + ")"),
                                0);
                    }
                    return new End.Refused(decision, rateLimit);
                }
                // A retry the limiter, breaker or retry budget refuses is not waited for: the call goes to the DLQ.
                String why = decision instanceof Decision.RetryBudgetExhausted
                        ? "the provider's retry budget is spent"
                        : "admission refused a retry (" + decision.getClass().getSimpleName() + ")";
                lastError = lastError == null
                        ? new LastError("rejected", null, why)
                        : new LastError(lastError.kind(), lastError.status(), lastError.message() + "; " + why);
                break;
            }
            if (mayHaveWaited) {
                // Time spent in line comes off what remains: the attempt gets only the rest of the deadline.
                timeout = deadline.attemptTimeout(call.timeout(), clock.instant());
                if (timeout == null) {
                    admission.record(provider, admitted, Outcome.NEUTRAL);
                    return new End.DeadlineExceeded(lastError, sent);
                }
            }
            stats.admitted(provider.id(), call.module(), priority);
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
                Duration authWait = backoff.delay(attempt);
                if (!deadline.fits(authWait, clock.instant())) {
                    return new End.DeadlineExceeded(lastError, sent);
                }
                if (!sleep(authWait)) {
                    return new End.Interrupted(lastError, sent);
                }
                continue;
            }
            sent++;
            URI uri = OutboundPaths.compose(
                    provider.baseUrl(), call.request().path(), call.request().query(), auth.queryParameters());
            Map<String, List<String>> headers = OutboundHeaders.compose(
                    provider.config().defaultHeaders(),
                    call.request().headers(),
                    auth,
                    call.key(),
                    call.traceparent(),
                    call.request().effectiveContentType());
            UpstreamAnswer answer = null;
            long started = System.nanoTime();
            try {
                answer = upstream.call(
                        provider.config().allowPrivateNetwork(),
                        call.request().method(),
                        uri,
                        headers,
                        call.request().body(),
                        timeout,
                        streamIdle(provider, call.timeout()));
                boolean retryable = answer.status() >= 500 || answer.status() == 429;
                byte[] bytes =
                        !retryable && answer.declaredLength() >= 0 && answer.declaredLength() <= SMALL_ANSWER_BYTES
                                ? read(answer, uri)
                                : null;
                stats.attempt(provider.id(), Duration.ofNanos(System.nanoTime() - started), answer.status() >= 500);
                call.observation().attempt(Duration.ofNanos(System.nanoTime() - started), answer.status());
                if (answer.status() == 401 && !refreshedToken && credentials.refusedToken(provider, auth)) {
                    // The OAuth2 token was refused: one immediate retry with a fresh token, outside the backoff
                    // schedule.
                    answer.discard();
                    admission.record(provider, admitted, Outcome.NEUTRAL);
                    refreshedToken = true;
                    attempt--;
                    continue;
                }
                // Only a 429 or a 5xx is waited on (and may pause the provider): other answers skip the header scan.
                retryAfter = retryable ? RetryAfter.from(answer.headers(), clock.instant()) : Optional.empty();
                boolean throttled = answer.status() == 429 && retryAfter.isPresent();
                Optional<MoveOn.Reason> move = moveOn(call, sent - 1, new MoveOn.Happened.Answered(answer.status()));
                if (move.isPresent()) {
                    // Declared "not executed" by the operator: the next provider gets it, this one is not retried
                    // first.
                    answer.discard();
                    admission.record(
                            provider,
                            admitted,
                            answer.status() >= 500 && !throttled ? Outcome.FAILURE : Outcome.NEUTRAL);
                    if (retryAfter.isPresent() && (throttled || answer.status() == 503)) {
                        admission.pause(provider, retryAfter.get());
                    }
                    return new End.MovedOn(
                            move.get(),
                            new LastError(
                                    "upstream_status", answer.status(), "the provider answered " + answer.status()),
                            sent);
                }
                if (answer.status() < 500 && !throttled) {
                    admission.record(provider, admitted, answer.status() < 400 ? Outcome.SUCCESS : Outcome.NEUTRAL);
                    return new End.Answer(answer, bytes, sent);
                }
                answer.discard();
                admission.record(provider, admitted, throttled ? Outcome.NEUTRAL : Outcome.FAILURE);
                if (retryAfter.isPresent() && (throttled || answer.status() == 503)) {
                    admission.pause(provider, retryAfter.get());
                }
                lastError =
                        new LastError("upstream_status", answer.status(), "the provider answered " + answer.status());
            } catch (AttemptFailedException failure) {
                if (answer != null) {
                    answer.close();
                }
                if (failure.kind() == AttemptFailedException.Kind.TIMEOUT && timeout.compareTo(call.timeout()) < 0) {
                    // Cut by the caller's deadline, not by the provider's timeout: no failure of the provider's
                    // (its breaker and error rate are left alone), and the call ends here.
                    stats.attempt(provider.id(), Duration.ofNanos(System.nanoTime() - started), false);
                    call.observation().attemptFailed(Duration.ofNanos(System.nanoTime() - started), "deadline");
                    admission.record(provider, admitted, Outcome.NEUTRAL);
                    return new End.DeadlineExceeded(
                            new LastError(
                                    "timeout",
                                    null,
                                    "the caller's deadline cut the attempt after " + timeout.toMillis() + " ms"),
                            sent);
                }
                stats.attempt(provider.id(), Duration.ofNanos(System.nanoTime() - started), true);
                call.observation()
                        .attemptFailed(
                                Duration.ofNanos(System.nanoTime() - started),
                                failure.kind().name().toLowerCase(Locale.ROOT));
                if (failure.kind() == AttemptFailedException.Kind.FORBIDDEN_DESTINATION) {
                    admission.record(provider, admitted, Outcome.NEUTRAL);
                    return new End.Forbidden(failure.getMessage());
                }
                admission.record(provider, admitted, Outcome.FAILURE);
                lastError = new LastError(
                        failure.kind() == AttemptFailedException.Kind.TIMEOUT ? "timeout" : "network",
                        null,
                        failure.getMessage());
                MoveOn.Happened happened = failure.nothingSent()
                        ? new MoveOn.Happened.NotConnected()
                        : failure.kind() == AttemptFailedException.Kind.TIMEOUT
                                ? new MoveOn.Happened.TimedOut()
                                : new MoveOn.Happened.Broken();
                Optional<MoveOn.Reason> move = moveOn(call, sent - 1, happened);
                if (move.isPresent()) {
                    return new End.MovedOn(move.get(), lastError, sent);
                }
            }
            if (attempt == retry.maxAttempts()) {
                break;
            }
            Duration wait = backoff.delay(attempt);
            if (retryAfter.isPresent()) {
                if (retryAfter.get().compareTo(backoff.remainingBudget(attempt)) > 0) {
                    lastError = new LastError(
                            lastError.kind(),
                            lastError.status(),
                            lastError.message() + "; its Retry-After of "
                                    + retryAfter.get().toSeconds() + " s exceeds the backoff budget");
                    break;
                }
                wait = retryAfter.get();
            }
            if (!deadline.fits(wait, clock.instant())) {
                // The wait and an attempt after it do not fit before the deadline: end now, not at the deadline.
                return new End.DeadlineExceeded(lastError, sent);
            }
            if (!sleep(wait)) {
                return new End.Interrupted(lastError, sent);
            }
        }
        return new End.GaveUp(lastError, sent, lastError != null && "timeout".equals(lastError.kind()));
    }

    private static Duration streamIdle(Provider provider, Duration callTimeout) {
        return Duration.ofMillis(provider.config().effectiveStreamIdleTimeoutMs((int) callTimeout.toMillis()));
    }

    private static Optional<MoveOn.Reason> moveOn(Call call, int sentBefore, MoveOn.Happened happened) {
        return call.mayMoveOn() ? MoveOn.after(sentBefore, happened, call.onStatus()) : Optional.empty();
    }

    private static MoveOn.Refusal refusal(Decision decision) {
        return switch (decision) {
            case Decision.CircuitOpen open -> MoveOn.Refusal.CIRCUIT_OPEN;
            case Decision.RateLimited limited -> MoveOn.Refusal.RATE_LIMITED;
            case Decision.ProviderThrottled throttled -> MoveOn.Refusal.PAUSED;
            case Decision.RetryBudgetExhausted exhausted -> MoveOn.Refusal.RETRY_BUDGET;
            case Decision.QueueFull full -> MoveOn.Refusal.OTHER;
            case Decision.Admitted admitted -> MoveOn.Refusal.OTHER;
        };
    }

    private static byte[] read(UpstreamAnswer answer, URI uri) throws AttemptFailedException {
        try {
            return answer.readDeclared();
        } catch (IOException | RuntimeException e) {
            throw UpstreamCaller.classify(e, uri);
        } finally {
            answer.close();
        }
    }

    private boolean sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
