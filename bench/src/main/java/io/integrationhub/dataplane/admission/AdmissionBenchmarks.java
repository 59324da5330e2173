package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderStatus;
import io.integrationhub.registry.provider.ProviderType;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The admission script client against a local redis-server (bench/run.sh --jmh starts a private
 * one and passes its port as {@code -Dbench.redis.port}): one EVALSHA of admit.lua per attempt,
 * and the asynchronous record.lua after it. The in-process adapter is the no-Valkey floor.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdmissionBenchmarks {
    private ValkeyAdmission valkey;
    private InProcessAdmission local;
    private Provider provider;

    @Setup(Level.Trial)
    public void setup() {
        String port = System.getProperty("bench.redis.port", "6379");
        valkey = new ValkeyAdmission(
                "redis://127.0.0.1:" + port, "jmh:" + System.nanoTime() + ":", BreakerListener.NONE);
        local = new InProcessAdmission(java.time.Clock.systemUTC(), BreakerListener.NONE);
        ProviderConfig config = ProviderConfig.builder()
                .timeoutMs(5000)
                .rateLimitPerSec(1_000_000)
                .allowPrivateNetwork(true)
                .build();
        provider = new Provider(
                "01j9pintjmh000000000000000",
                "bench",
                "jmh",
                ProviderType.CUSTOM,
                "http://127.0.0.1:1",
                AuthSpec.NONE,
                null,
                config,
                ProviderStatus.ACTIVE,
                ManagedBy.API,
                1,
                Instant.now(),
                Instant.now(),
                null);
        if (!valkey.reachable()) {
            throw new IllegalStateException("no Redis on port " + port + " (bench/run.sh --jmh starts one)");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        valkey.close();
    }

    /** The synchronous part of a call: one EVALSHA round trip of admit.lua. */
    @Benchmark
    public Decision valkeyAdmit() {
        return valkey.admit(provider, 1_000_000, false);
    }

    /** What a successful call costs the admission client: admit (sync) and record (async, not awaited). */
    @Benchmark
    public Decision valkeyAdmitAndRecord() {
        Decision d = valkey.admit(provider, 1_000_000, false);
        if (d instanceof Decision.Admitted admitted) {
            valkey.record(provider, admitted, Outcome.SUCCESS);
        }
        return d;
    }

    /** The same decision taken in-process (standalone mode, degraded mode): the floor without Valkey. */
    @Benchmark
    public Decision inProcessAdmitAndRecord() {
        Decision d = local.admit(provider, 1_000_000, false);
        if (d instanceof Decision.Admitted admitted) {
            local.record(provider, admitted, Outcome.SUCCESS);
        }
        return d;
    }
}
