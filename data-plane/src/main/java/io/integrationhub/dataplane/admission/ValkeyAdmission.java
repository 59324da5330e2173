package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.valkey.AdmissionEvent;
import io.integrationhub.registry.valkey.BreakerTransition;
import io.integrationhub.registry.valkey.ScriptNames;
import io.integrationhub.registry.valkey.ValkeyKeys;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admission on state shared by every instance, in Valkey, without a round trip on the success path:
 * Valkey leases this instance batches of limiter permits (admit.lua, which decides pause, breaker,
 * retry budget and the lease together), and calls are admitted from the lease until it is spent,
 * expires ({@link #LEASE}) or is dropped because something changed ({@link AdmissionEvents}). Every
 * leased permit is charged to the shared window when granted, so the limit holds across instances
 * in any rolling second; unused permits go back with the next request, or at once when a lease is
 * dropped. Retries, half-open probes, and every admission while the event subscription is down go
 * to Valkey one by one, as before leases. Outcomes are recorded asynchronously (record.lua), a
 * failure at once; a success only when it would change something.
 *
 * <p>Keys and names come from the shared contract ({@link ValkeyKeys}, {@link ScriptNames}); the
 * hash tag keeps one provider's keys in one cluster slot, so every script runs on one node of a
 * Valkey Cluster ({@link ValkeyClient}). Commands time out after {@link #COMMAND_TIMEOUT} and are
 * rejected at once while disconnected, so a dead Valkey costs a call at most that long before the
 * caller falls back.
 */
public final class ValkeyAdmission implements Admission, AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(50);
    /**
     * How long a lease may be used: short, so an instance cannot hoard permits, a lease outlives no
     * lost event by more than this, and no lease from before a breaker opened is alive when it may
     * half-open (openSec is at least 1 s).
     */
    static final Duration LEASE = Duration.ofMillis(200);

    private static final Logger LOG = Logger.getLogger(ValkeyAdmission.class.getName());

    private final ClientResources resources;
    private final ValkeyClient client;
    private final ValkeyKeys keys;
    private final String[] names;
    private final BreakerListener listener;
    private final LongSupplier nanos;
    private final AdmissionEvents events;
    private final Script admit = Script.load("admit.lua");
    private final Script record = Script.load("record.lua");
    private final Script pause = Script.load("pause.lua");
    private final Script view = Script.load("view.lua");
    private final Script settle = Script.load("settle.lua");
    private final Script usage = Script.load("usage.lua");
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private volatile ValkeyClient.Link connection;
    /**
     * Per provider and allowance scope ({@link #leaseKey}), the latest lease Valkey granted this
     * instance (spent, expired or not): calls of a capped module, or of one class, draw on their own.
     */
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /**
     * Per provider, what the latest admission on this instance saw. While the breaker is closed with
     * no failure counted, a success changes nothing in record.lua: it is not sent. A failure
     * counted anywhere since is announced ({@link AdmissionEvent#FAILING}) and clears it, so
     * successes are sent again to reset the count.
     */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(long generation, boolean clean) {}

    /**
     * Per provider, a rejection that admit.lua says cannot end before an instant: until then this
     * instance answers it without a round trip (an open breaker or a full limiter under heavy
     * traffic costs Valkey nothing). The instant is counted from when the question was SENT, so it
     * never outlasts Valkey's own; the limiter's entry holds only for the limit it was decided on,
     * and at most a lease's length (a lease given back frees slots sooner than the log ages).
     */
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    /** Per provider and allowance scope, the lease request running now, if any (see {@link #admit}). */
    private final Map<String, CompletableFuture<Void>> asking = new ConcurrentHashMap<>();

    private record Rejection(int code, long untilNanos, long askAgainNanos, Allowance allowance) {
        Decision decision(long nowNanos) {
            Duration wait = Duration.ofNanos(untilNanos - nowNanos);
            return code == 1
                    ? new Decision.RateLimited(wait)
                    : code == 2 ? new Decision.CircuitOpen(wait) : new Decision.ProviderThrottled(wait);
        }
    }

    public ValkeyAdmission(String url, String prefix, BreakerListener listener) {
        this(url, prefix, listener, System::nanoTime);
    }

    /** @param nanos this instance's monotonic clock, which lease expiry is measured on */
    ValkeyAdmission(String url, String prefix, BreakerListener listener, LongSupplier nanos) {
        // Reconnect within a second of Valkey coming back (lettuce's default backoff grows to 30 s).
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        // The URL may set its own command timeout (redis://host:6379?timeout=200ms); otherwise a dead Valkey
        // costs a call at most COMMAND_TIMEOUT before the instance falls back to deciding alone.
        this.client = ValkeyClient.create(url, resources, COMMAND_TIMEOUT);
        this.keys = new ValkeyKeys(prefix);
        this.names = ScriptNames.of(keys).toArray(String[]::new);
        this.listener = listener;
        this.nanos = nanos;
        this.events = new AdmissionEvents(client, keys.events(), this::changed, this::dropEverything);
    }

    @Override
    public Decision admit(Provider provider, Allowance allowance, boolean retry) {
        long asked = nanos.getAsLong();
        String key = leaseKey(provider.id(), allowance);
        Decision known = answeredHere(key, allowance, retry, asked);
        if (known != null) {
            return known;
        }
        if (retry) {
            return ask(provider, allowance, true, asked);
        }
        // One lease request per provider at a time: callers arriving while it runs wait for it (they would
        // have waited as long for their own) and take from the lease it brings, instead of each asking
        // for one and giving the others back.
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = asking.putIfAbsent(key, mine);
        if (running == null) {
            try {
                return ask(provider, allowance, false, asked);
            } finally {
                asking.remove(key, mine);
                mine.complete(null);
            }
        }
        running.join(); // completed however the request ends, within the command timeout
        long now = nanos.getAsLong();
        known = answeredHere(key, allowance, false, now);
        return known != null ? known : ask(provider, allowance, false, now);
    }

    /** Where this instance keeps the lease, rejection and running request of a provider's calls of one scope. */
    private static String leaseKey(String providerId, Allowance allowance) {
        return providerId + "|" + allowance.scope();
    }

    private static boolean ofProvider(String leaseKey, String providerId) {
        return leaseKey.startsWith(providerId + "|");
    }

    /** A cached rejection, or a permit from the lease; null when only Valkey can answer. */
    private Decision answeredHere(String key, Allowance allowance, boolean retry, long now) {
        Rejection known = rejections.get(key);
        if (known != null) {
            if (now < known.askAgainNanos() && known.allowance().equals(allowance)) {
                return known.decision(now);
            }
            rejections.remove(key, known);
        }
        if (!retry) {
            Lease lease = leases.get(key);
            if (lease != null && lease.allowance().equals(allowance) && lease.take(now)) {
                return new Decision.Admitted(false, lease.generation(), true);
            }
        }
        return null;
    }

    /**
     * One round trip: gives back this instance's previous lease (whatever state it is in) and asks
     * for the decision and, for a first attempt while events are heard, a new lease.
     */
    private Decision ask(Provider provider, Allowance allowance, boolean retry, long asked) {
        String id = provider.id();
        String key = leaseKey(id, allowance);
        events.ensureSubscribed();
        boolean leasing = !retry && events.listening();
        Lease previous = leases.get(key);
        Lease.Settlement returned = previous == null ? Lease.Settlement.NONE : previous.settle();
        int want = leasing && previous != null ? previous.nextWant(asked, allowance, LEASE) : 1;
        Duration lease = leasing ? LEASE : Duration.ZERO;
        long epoch = events.epoch(id);
        String leaseId = instance + ":" + sequence.incrementAndGet();
        ProviderConfig config = provider.config();
        List<Object> result = eval(
                admit,
                new String[] {
                    keys.limiter(id), keys.breaker(id), keys.pause(id), keys.retryBudget(id), moduleLog(id, allowance)
                },
                Integer.toString(allowance.limit()),
                Integer.toString(config.timeoutMs()),
                leaseId,
                retry ? "1" : "0",
                Integer.toString(config.retry().budgetPercent()),
                Integer.toString(RETRY_BUDGET_FLOOR),
                Integer.toString(want),
                Long.toString(lease.toMillis()),
                id,
                returned.member(),
                Integer.toString(returned.used()),
                Long.toString(returned.earlyMillis()),
                Integer.toString(allowance.moduleLimit()));
        int code = ((Long) result.get(0)).intValue();
        Duration wait = result.size() > 1 ? Duration.ofMillis((Long) result.get(1)) : Duration.ZERO;
        return switch (code) {
            case 0 -> {
                boolean probe = (Long) result.get(1) == 1L;
                long generation = (Long) result.get(2);
                boolean current = events.epoch(id) == epoch; // nothing changed while we asked
                if (current) {
                    remember(id, generation, (Long) result.get(3) == 1L);
                }
                if (probe) {
                    listener.transitioned(provider, BreakerTransition.HALF_OPENED);
                } else if (!retry) {
                    int granted = ((Long) result.get(4)).intValue();
                    Lease fresh = new Lease(
                            id,
                            leaseId + "/" + granted,
                            allowance,
                            granted,
                            generation,
                            asked,
                            lease,
                            nanos.getAsLong());
                    Lease replaced = leases.put(key, fresh);
                    if (replaced != null && replaced != previous) {
                        giveBack(id, replaced); // another thread's lease, granted meanwhile
                    }
                    if (!current) {
                        leases.remove(key, fresh);
                        giveBack(id, fresh); // the asking call's permit only: the rest may predate the change
                    }
                }
                yield new Decision.Admitted(probe, generation, true);
            }
            case 1 -> rejected(key, code, asked, wait, allowance, Math.min(wait.toNanos(), LEASE.toNanos()));
            case 3 -> rejected(key, code, asked, wait, allowance, wait.toNanos());
            case 2 ->
                result.size() > 2 && (Long) result.get(2) == 1L
                        ? rejected(key, code, asked, wait, allowance, wait.toNanos())
                        : rejected(key, code, asked, wait, allowance, 0);
            case 4 -> new Decision.RetryBudgetExhausted();
            default -> throw new IllegalStateException("admit.lua answered " + code);
        };
    }

    /** The capped module's limiter log; for uncapped calls a key in the provider's slot that admit.lua leaves alone. */
    private String moduleLog(String providerId, Allowance allowance) {
        return keys.moduleLimiter(providerId, allowance.capped() ? allowance.module() : "");
    }

    private Decision rejected(String key, int code, long asked, Duration wait, Allowance allowance, long cacheNanos) {
        Rejection rejection = new Rejection(code, asked + wait.toNanos(), asked + cacheNanos, allowance);
        if (cacheNanos > 0) {
            rejections.put(key, rejection);
        }
        return rejection.decision(asked);
    }

    /**
     * An event from any instance (this one included): drop what it makes stale. A revoked lease with
     * unused permits goes back at once (they free slots for others); a spent one waits to be
     * settled with the next request, which saves a round trip.
     */
    private void changed(AdmissionEvent event, String providerId) {
        seen.remove(providerId);
        if (event == AdmissionEvent.FAILING) {
            return; // the limiter and the breaker's state are unchanged: the lease stays good
        }
        long now = nanos.getAsLong();
        leases.forEach((key, lease) -> {
            if (ofProvider(key, providerId) && lease.revoke(now) && leases.remove(key, lease)) {
                giveBack(providerId, lease);
            }
        });
    }

    /** The subscription dropped: events may be missed until it is back, so nothing cached is trusted. */
    private void dropEverything() {
        seen.clear();
        long now = nanos.getAsLong();
        leases.forEach((key, lease) -> {
            if (lease.revoke(now) && leases.remove(key, lease)) {
                giveBack(lease.providerId(), lease);
            }
        });
    }

    /** Sends a closed lease back without waiting (settle.lua); if it is lost, the lease just ages out. */
    private void giveBack(String providerId, Lease lease) {
        Lease.Settlement settlement = lease.settle();
        if (settlement.member().isEmpty()) {
            return;
        }
        String[] k = settleKeys(providerId, lease.allowance());
        String[] args =
                args(settlement.member(), Integer.toString(settlement.used()), Long.toString(settlement.earlyMillis()));
        ValkeyClient.Link c = connection;
        if (c == null) {
            return;
        }
        try {
            c.async()
                    .<List<Object>>evalsha(settle.sha, ScriptOutputType.MULTI, k, args)
                    .whenComplete((ok, error) -> {
                        if (error instanceof RedisNoScriptException) {
                            c.async().<List<Object>>eval(settle.source, ScriptOutputType.MULTI, k, args);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "lease not given back: Valkey unreachable", e);
        }
    }

    /**
     * Sent without waiting: the caller's answer never waits for the breaker's bookkeeping. Not sent
     * when record.lua would change nothing: a neutral outcome outside a probe, or a success while
     * the latest admission saw the breaker closed and clean in the same generation.
     */
    @Override
    public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
        if (!decision.probe()
                && (outcome == Outcome.NEUTRAL
                        || outcome == Outcome.SUCCESS && clean(provider.id(), decision.generation()))) {
            return;
        }
        if (outcome == Outcome.FAILURE) {
            seen.remove(provider.id()); // the count is no longer clean: successes are sent again
        }
        ProviderConfig.CircuitBreaker config = provider.config().circuitBreaker();
        String[] k = {keys.breaker(provider.id())};
        String[] args = args(
                outcome.name().toLowerCase(Locale.ROOT),
                decision.probe() ? "1" : "0",
                Long.toString(decision.generation()),
                Integer.toString(config.failureThreshold()),
                Long.toString(config.failureWindowSec() * 1000L),
                Long.toString(config.openSec() * 1000L),
                provider.id());
        ValkeyClient.Link c;
        try {
            c = connection();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "outcome not recorded: Valkey unreachable", e);
            return;
        }
        c.async().<String>evalsha(record.sha, ScriptOutputType.VALUE, k, args).whenComplete((transition, error) -> {
            if (error instanceof RedisNoScriptException) {
                c.async()
                        .<String>eval(record.source, ScriptOutputType.VALUE, k, args)
                        .thenAccept(t -> announce(provider, t));
            } else if (error == null) {
                announce(provider, transition);
            }
        });
    }

    @Override
    public void pause(Provider provider, Duration wait) {
        eval(pause, new String[] {keys.pause(provider.id())}, Long.toString(wait.toMillis()), provider.id());
        changed(AdmissionEvent.PAUSED, provider.id()); // at once here; the others on the event
    }

    @Override
    public BreakerView breaker(Provider provider) {
        List<Object> result = eval(view, new String[] {keys.breaker(provider.id()), keys.limiter(provider.id())});
        return new BreakerView(
                (String) result.get(0),
                ((Long) result.get(1)).intValue(),
                Duration.ofMillis((Long) result.get(2)),
                ((Long) result.get(3)).intValue());
    }

    @Override
    public Optional<List<String>> shareUsage(String providerId, String summary) {
        List<Object> others = eval(usage, new String[] {keys.usage(providerId)}, instance, summary);
        return Optional.of(others.stream().map(String.class::cast).toList());
    }

    /** True while this instance hears every instance's admission events, and so may hold leases. */
    boolean listening() {
        return events.listening();
    }

    /** True when Valkey answers a PING now. */
    public boolean reachable() {
        try {
            return "PONG".equals(connection().base().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // Unused permits go back before the instance leaves (a rolling deploy), not a lease later.
        long now = nanos.getAsLong();
        leases.forEach((key, lease) -> {
            if (lease.revoke(now) && connection != null) {
                Lease.Settlement settlement = lease.settle();
                try {
                    eval(
                            settle,
                            settleKeys(lease.providerId(), lease.allowance()),
                            settlement.member(),
                            Integer.toString(settlement.used()),
                            Long.toString(settlement.earlyMillis()));
                } catch (ValkeyUnavailableException e) {
                    LOG.log(Level.FINE, "lease not given back at close: Valkey unreachable", e);
                }
            }
        });
        leases.clear();
        events.close();
        ValkeyClient.Link c = connection;
        if (c != null) {
            c.connection().close();
        }
        client.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** settle.lua's keys: the provider's log and budget, and the module's log when the lease was a capped module's. */
    private String[] settleKeys(String providerId, Allowance allowance) {
        return allowance.capped()
                ? new String[] {
                    keys.limiter(providerId),
                    keys.retryBudget(providerId),
                    keys.moduleLimiter(providerId, allowance.module())
                }
                : new String[] {keys.limiter(providerId), keys.retryBudget(providerId)};
    }

    private void remember(String providerId, long generation, boolean clean) {
        Seen last = seen.get(providerId);
        if (last == null || last.generation() != generation || last.clean() != clean) {
            seen.put(providerId, new Seen(generation, clean));
        }
    }

    private boolean clean(String providerId, long generation) {
        Seen last = seen.get(providerId);
        return last != null && last.clean() && last.generation() == generation;
    }

    private void announce(Provider provider, String answered) {
        BreakerTransition transition = BreakerTransition.ofStored(answered);
        if (transition != null) {
            listener.transitioned(provider, transition);
        }
    }

    /**
     * EVALSHA; EVAL with the source when the node lost the script (restart, SCRIPT FLUSH) or never had
     * it (a cluster node that became master of the slot since), which also caches it there.
     */
    private <T> T eval(Script script, String[] keys, String... own) {
        String[] args = args(own);
        try {
            ValkeyClient.Link c = connection();
            try {
                return c.sync().evalsha(script.sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                return c.sync().eval(script.source, ScriptOutputType.MULTI, keys, args);
            }
        } catch (RedisException e) {
            throw new ValkeyUnavailableException(
                    "Valkey did not answer: " + e.getClass().getSimpleName(), e);
        }
    }

    private ValkeyClient.Link connection() {
        ValkeyClient.Link c = connection;
        if (c == null) {
            synchronized (this) {
                c = connection;
                if (c == null) {
                    try {
                        c = client.connect();
                    } catch (RedisException e) {
                        throw new ValkeyUnavailableException("Valkey is unreachable", e);
                    }
                    connection = c;
                }
            }
        }
        return c;
    }

    /** The contract's names first (every script reads them from ARGV), then the script's own arguments. */
    private String[] args(String... own) {
        String[] all = Arrays.copyOf(names, names.length + own.length);
        System.arraycopy(own, 0, all, names.length, own.length);
        return all;
    }

    /** A Lua script from the classpath and its SHA-1, which EVALSHA names it by. */
    private record Script(String source, String sha) {
        /** The script with common.lua (the contract's names, the clock, shared functions) in front. */
        static Script load(String name) {
            try (InputStream common = ValkeyAdmission.class.getResourceAsStream("/admission/common.lua");
                    InputStream in = ValkeyAdmission.class.getResourceAsStream("/admission/" + name)) {
                String source = new String(common.readAllBytes(), StandardCharsets.UTF_8) + "\n"
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
                return new Script(
                        source,
                        java.util.HexFormat.of().formatHex(sha1.digest(source.getBytes(StandardCharsets.UTF_8))));
            } catch (IOException e) {
                throw new UncheckedIOException("admission script " + name + " is missing", e);
            } catch (java.security.NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
