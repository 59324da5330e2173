package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.TokenIssuer;
import io.integrationhub.dataplane.auth.TokenVerifier;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.MemoryBudget;
import io.integrationhub.dataplane.body.SealedSpillFile;
import io.integrationhub.dataplane.credentials.CredentialInjector;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.Credentials;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderJson;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderStatus;
import io.integrationhub.registry.provider.ProviderType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU-only pieces of one call, as the pipeline runs them (same package as the pipeline, so the
 * package-private steps are driven directly). Run with {@code bench/run.sh --jmh HotPath}; the
 * {@code -prof gc} column {@code gc.alloc.rate.norm} is the bytes allocated per call of each piece.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmarks {
    private static final byte[] ENVELOPE = ("{\"provider\":\"bench\",\"method\":\"POST\",\"path\":\"/v1/charges\","
                    + "\"query\":{\"expand\":[\"customer\"]},\"headers\":{\"Accept\":\"application/json\",\"Stripe-Version\":\"2024-06-20\"},"
                    + "\"body\":{\"amount\":100,\"currency\":\"eur\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private Provider provider;
    private CredentialInjector injector;
    private OutboundAuth auth;
    private Map<String, List<String>> proxyHeaders;
    private Map<String, List<String>> callerHeaders;
    private TokenVerifier verifier;
    private String token;
    /** The call's memory share and spill directory the streaming envelope parser reads into (issue 15). */
    private Bodies bodies;

    @Setup
    public void setup() throws IOException {
        bodies = new Bodies(
                new MemoryBudget(64L << 20),
                new SealedSpillFile.Spills(Files.createTempDirectory("hotpath-bench")),
                64 * 1024,
                10L << 20);
        Sealer sealer = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("bench"), "bench"));
        String id = "01j9pintbench0000000000000";
        Credentials credentials = new Credentials(Map.of("token", "sk_bench_0123456789abcdef"));
        provider = new Provider(
                id,
                "bench",
                "bench",
                ProviderType.PAYMENT,
                "https://api.example.com",
                new AuthSpec(AuthType.BEARER, null, null, null, null),
                sealer.seal(ProviderJson.credentialsBytes(credentials), new Sealer.Owner("bench", id)),
                ProviderConfig.defaults(),
                ProviderStatus.ACTIVE,
                ManagedBy.API,
                1,
                Instant.now(),
                Instant.now(),
                null);
        injector = new CredentialInjector(new ProviderRepository(null, sealer, Clock.systemUTC()), null);
        auth = injector.authFor(provider);
        // What an SDK sends on the proxy route (the hub token in Authorization is dropped).
        proxyHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        proxyHeaders.put("Host", List.of("127.0.0.1:8080"));
        proxyHeaders.put("User-Agent", List.of("Stripe/v1 JavaBindings/33.3.0"));
        proxyHeaders.put("Accept", List.of("application/json"));
        proxyHeaders.put("Authorization", List.of("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"));
        proxyHeaders.put("Stripe-Version", List.of("2024-06-20"));
        proxyHeaders.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        proxyHeaders.put("Content-Length", List.of("42"));
        proxyHeaders.put("Connection", List.of("keep-alive"));
        callerHeaders = OutboundHeaders.fromCaller(proxyHeaders, "headers");
        String secret = "0123456789abcdef0123456789abcdef-bench";
        verifier = new TokenVerifier(secret, null);
        token = new TokenIssuer(secret)
                .issue("bench", "bench", Duration.ofHours(1), io.integrationhub.dataplane.auth.Scope.values());
    }

    /** The envelope streamed through the parser (the body kept as the caller's bytes) within one call's memory share. */
    @Benchmark
    public CallRequest envelopeParse() {
        return parseEnvelope();
    }

    private CallRequest parseEnvelope() {
        try (Bodies.Scope scope = bodies.open()) {
            return EnvelopeParser.parse(
                    new ByteArrayInputStream(ENVELOPE), scope, null, CallDeadline.from(Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The caller's headers filtered (proxy route), as CallService does per call. */
    @Benchmark
    public Map<String, List<String>> callerHeaderFilter() {
        return OutboundHeaders.fromCaller(proxyHeaders, "headers");
    }

    /** Credential injection: the decrypted credential (cached) turned into the outbound auth. */
    @Benchmark
    public OutboundAuth credentialInjection() {
        return injector.authFor(provider);
    }

    /** The outbound header set: defaults, caller's, injected auth, idempotency key, traceparent. */
    @Benchmark
    public Map<String, List<String>> outboundHeaderCompose() {
        return OutboundHeaders.compose(
                provider.config().defaultHeaders(),
                callerHeaders,
                auth,
                "k-1",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "application/json");
    }

    /** Path validation, query check and URI composition, plus the generated key and traceparent. */
    @Benchmark
    public Object requestBuild() {
        String path = OutboundPaths.path("/v1/customers/cus_0123456789/charges");
        String query = OutboundPaths.rawQuery("expand%5B%5D=customer&limit=10", "query");
        URI uri = OutboundPaths.compose(provider.baseUrl(), path, query, auth.queryParameters());
        return new Object[] {uri, UUID.randomUUID().toString(), Traceparent.forOutbound(null)};
    }

    /** The caller's JWT: parse + HS256 verify + claims (every call pays it). */
    @Benchmark
    public Caller tokenVerify() {
        return verifier.verify(token);
    }

    /** Everything above that one call on the envelope route runs, minus I/O. */
    @Benchmark
    public Object wholeCallCpu() {
        Caller caller = verifier.verify(token);
        CallRequest request = parseEnvelope();
        Map<String, List<String>> headers = OutboundHeaders.fromCaller(request.headers(), "headers");
        OutboundAuth a = injector.authFor(provider);
        String path = OutboundPaths.path(request.path());
        URI uri = OutboundPaths.compose(
                provider.baseUrl(), path, OutboundPaths.rawQuery(request.rawQuery(), "query"), a.queryParameters());
        Map<String, List<String>> wire = OutboundHeaders.compose(
                provider.config().defaultHeaders(),
                headers,
                a,
                UUID.randomUUID().toString(),
                Traceparent.forOutbound(null),
                request.contentType());
        List<Object> all = new ArrayList<>();
        all.add(caller);
        all.add(uri);
        all.add(wire);
        return all;
    }
}
