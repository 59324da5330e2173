package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admission on state shared by every instance, in Valkey: one EVALSHA per attempt decides pause,
 * breaker, rate limit and retry budget together (admit.lua), and the outcome is recorded
 * asynchronously (record.lua), off the response path. Keys are {@code <prefix>{p:<providerId>}:...}:
 * the hash tag keeps one provider's keys in one cluster slot, so every script runs on one node of a
 * Valkey Cluster ({@link ValkeyClient}). Commands time out after
 * {@link #COMMAND_TIMEOUT} and are rejected at once while disconnected, so a dead Valkey costs a
 * call at most that long before the caller falls back.
 */
public final class ValkeyAdmission implements Admission, AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(50);
    private static final Logger LOG = Logger.getLogger(ValkeyAdmission.class.getName());

    private final ClientResources resources;
    private final ValkeyClient client;
    private final String prefix;
    private final BreakerListener listener;
    private final Script admit = Script.load("admit.lua");
    private final Script record = Script.load("record.lua");
    private final Script pause = Script.load("pause.lua");
    private final Script view = Script.load("view.lua");
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private volatile ValkeyClient.Link connection;
    /**
     * Per provider, what the latest admission on this instance saw. Commands share one connection in
     * order, so it reflects every outcome this instance sent before it, and a failure sent since
     * clears it. While the breaker is closed with no failure counted, a success changes nothing in
     * record.lua: it is not sent, which saves a round trip and a hand-off to lettuce's event loop per
     * call (bench/run.sh --profile). A failure counted by another instance since this instance's
     * latest admission is seen at its next admission; until then its successes do not reset it.
     */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(long generation, boolean clean) {}

    /**
     * Per provider, a rejection that admit.lua says cannot end before an instant: until then this
     * instance answers it without a round trip (an open breaker or a full limiter under heavy
     * traffic costs Valkey nothing). The instant is counted from when the question was SENT, so it
     * never outlasts Valkey's own; the limiter's entry holds only for the limit it was decided on.
     */
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();

    private record Rejection(int code, long untilNanos, int rateLimitPerSec) {
        Decision decision(long nowNanos) {
            Duration wait = Duration.ofNanos(untilNanos - nowNanos);
            return code == 1 ? new Decision.RateLimited(wait) : code == 2 ? new Decision.CircuitOpen(wait)
                    : new Decision.ProviderThrottled(wait);
        }
    }

    public ValkeyAdmission(String url, String prefix, BreakerListener listener) {
        // Reconnect within a second of Valkey coming back (lettuce's default backoff grows to 30 s).
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        // The URL may set its own command timeout (redis://host:6379?timeout=200ms); otherwise a dead Valkey
        // costs a call at most COMMAND_TIMEOUT before the instance falls back to deciding alone.
        this.client = ValkeyClient.create(url, resources, COMMAND_TIMEOUT);
        this.prefix = prefix == null ? "" : prefix;
        this.listener = listener;
    }

    @Override
    public Decision admit(Provider provider, int rateLimitPerSec, boolean retry) {
        long asked = System.nanoTime();
        Rejection known = rejections.get(provider.id());
        if (known != null) {
            if (asked < known.untilNanos() && known.rateLimitPerSec() == rateLimitPerSec) {
                return known.decision(asked);
            }
            rejections.remove(provider.id(), known);
        }
        ProviderConfig config = provider.config();
        // "budget", not the earlier versions' "rb": those hashes grew a field per second and are left to expire.
        List<Object> result = eval(admit, keys(provider, "rl", "cb", "pause", "budget"),
                Integer.toString(rateLimitPerSec), Integer.toString(config.timeoutMs()),
                instance + ":" + sequence.incrementAndGet(), retry ? "1" : "0",
                Integer.toString(config.retry().budgetPercent()), Integer.toString(RETRY_BUDGET_FLOOR));
        int code = ((Long) result.get(0)).intValue();
        Duration wait = result.size() > 1 ? Duration.ofMillis((Long) result.get(1)) : Duration.ZERO;
        return switch (code) {
            case 0 -> {
                boolean probe = (Long) result.get(1) == 1L;
                remember(provider, (Long) result.get(2), result.size() > 3 && (Long) result.get(3) == 1L);
                if (probe) {
                    listener.transitioned(provider, "half_opened");
                }
                yield new Decision.Admitted(probe, (Long) result.get(2), true);
            }
            case 1, 3 -> rejected(provider, code, asked, wait, rateLimitPerSec, true);
            case 2 -> rejected(provider, code, asked, wait, rateLimitPerSec, result.size() > 2 && (Long) result.get(2) == 1L);
            case 4 -> new Decision.RetryBudgetExhausted();
            default -> throw new IllegalStateException("admit.lua answered " + code);
        };
    }

    private Decision rejected(Provider provider, int code, long asked, Duration wait, int rateLimitPerSec, boolean lasting) {
        Rejection rejection = new Rejection(code, asked + wait.toNanos(), rateLimitPerSec);
        if (lasting) {
            rejections.put(provider.id(), rejection);
        }
        return rejection.decision(asked);
    }

    /**
     * Sent without waiting: the caller's answer never waits for the breaker's bookkeeping. Not sent
     * when record.lua would change nothing: a neutral outcome outside a probe, or a success while
     * the latest admission saw the breaker closed and clean in the same generation.
     */
    @Override
    public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
        if (!decision.probe() && (outcome == Outcome.NEUTRAL || outcome == Outcome.SUCCESS && clean(provider, decision.generation()))) {
            return;
        }
        if (outcome == Outcome.FAILURE) {
            seen.remove(provider.id()); // the count is no longer clean: successes are sent again
        }
        ProviderConfig.CircuitBreaker config = provider.config().circuitBreaker();
        String[] keys = keys(provider, "cb");
        String[] args = {outcome.name().toLowerCase(Locale.ROOT), decision.probe() ? "1" : "0", Long.toString(decision.generation()),
            Integer.toString(config.failureThreshold()), Long.toString(config.failureWindowSec() * 1000L),
            Long.toString(config.openSec() * 1000L)};
        ValkeyClient.Link c;
        try {
            c = connection();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "outcome not recorded: Valkey unreachable", e);
            return;
        }
        c.async().<String>evalsha(record.sha, ScriptOutputType.VALUE, keys, args).whenComplete((transition, error) -> {
            if (error instanceof RedisNoScriptException) {
                c.async().<String>eval(record.source, ScriptOutputType.VALUE, keys, args)
                        .thenAccept(t -> announce(provider, t));
            } else if (error == null) {
                announce(provider, transition);
            }
        });
    }

    @Override
    public void pause(Provider provider, Duration wait) {
        eval(pause, keys(provider, "pause"), Long.toString(wait.toMillis()));
    }

    @Override
    public BreakerView breaker(Provider provider) {
        List<Object> result = eval(view, keys(provider, "cb", "rl"));
        return new BreakerView((String) result.get(0), ((Long) result.get(1)).intValue(),
                Duration.ofMillis((Long) result.get(2)), ((Long) result.get(3)).intValue());
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
        ValkeyClient.Link c = connection;
        if (c != null) {
            c.connection().close();
        }
        client.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private void remember(Provider provider, long generation, boolean clean) {
        Seen last = seen.get(provider.id());
        if (last == null || last.generation() != generation || last.clean() != clean) {
            seen.put(provider.id(), new Seen(generation, clean));
        }
    }

    private boolean clean(Provider provider, long generation) {
        Seen last = seen.get(provider.id());
        return last != null && last.clean() && last.generation() == generation;
    }

    private void announce(Provider provider, String transition) {
        if (transition != null && !transition.isEmpty()) {
            listener.transitioned(provider, transition);
        }
    }

    /**
     * EVALSHA; EVAL with the source when the node lost the script (restart, SCRIPT FLUSH) or never had
     * it (a cluster node that became master of the slot since), which also caches it there.
     */
    private <T> T eval(Script script, String[] keys, String... args) {
        try {
            ValkeyClient.Link c = connection();
            try {
                return c.sync().evalsha(script.sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                return c.sync().eval(script.source, ScriptOutputType.MULTI, keys, args);
            }
        } catch (RedisException e) {
            throw new ValkeyUnavailableException("Valkey did not answer: " + e.getClass().getSimpleName(), e);
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

    private String[] keys(Provider provider, String... suffixes) {
        String base = prefix + "{p:" + provider.id() + "}:";
        String[] keys = new String[suffixes.length];
        for (int i = 0; i < suffixes.length; i++) {
            keys[i] = base + suffixes[i];
        }
        return keys;
    }

    /** A Lua script from the classpath and its SHA-1, which EVALSHA names it by. */
    private record Script(String source, String sha) {
        static Script load(String name) {
            try (InputStream in = ValkeyAdmission.class.getResourceAsStream("/admission/" + name)) {
                String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
                return new Script(source, java.util.HexFormat.of().formatHex(sha1.digest(source.getBytes(StandardCharsets.UTF_8))));
            } catch (IOException e) {
                throw new UncheckedIOException("admission script " + name + " is missing", e);
            } catch (java.security.NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
