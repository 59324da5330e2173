package io.integrationhub.dataplane;

import io.integrationhub.dataplane.admission.RedisKeys;
import io.integrationhub.dataplane.egress.HostResolver;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;

/**
 * Two data-plane instances sharing one registry and one Valkey, under a key prefix of their own: what
 * the tests of state that must hold across instances (breaker, limiter, fair shares, failover) start
 * from. Closing it closes both and removes what they wrote to the shared Valkey.
 */
public final class TwoHubs implements AutoCloseable {
    /** A generous command timeout: these tests are about the shared state, not the fallback (DegradedModeTest). */
    public static final String REDIS = "redis://127.0.0.1:6379?timeout=2s";

    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final TestHub first;
    private final TestHub second;

    private TwoHubs(Hub.Options options) {
        Map<String, String> env = Map.of(
                "INTEGRATION_VALKEY_URL",
                REDIS,
                "INTEGRATION_VALKEY_PREFIX",
                prefix,
                "INTEGRATION_EXPECTED_REPLICAS",
                "2");
        first = TestHub.start(env, options);
        second = TestHub.sharing(first.database(), env, options);
    }

    /** With the real clock and sleeper: for tests that measure rates and waits in wall time. */
    public static TwoHubs start() {
        return new TwoHubs(Hub.Options.defaults());
    }

    /** With an adjustable clock and a recording sleeper, so retries' backoff costs no wall time. */
    public static TwoHubs startWithoutBackoffSleeps() {
        AdjustableClock clock = new AdjustableClock();
        return new TwoHubs(
                new Hub.Options(new RecordingSleeper(clock), clock, HostResolver.SYSTEM, new SecureRandom()));
    }

    /** The instance that owns the database (providers are created through it). */
    public TestHub first() {
        return first;
    }

    public TestHub second() {
        return second;
    }

    /** The Valkey key prefix both instances use, for a third party (an admission adapter) on the same state. */
    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        second.close();
        first.close();
        RedisKeys.deleteWithPrefix(REDIS, prefix);
    }
}
