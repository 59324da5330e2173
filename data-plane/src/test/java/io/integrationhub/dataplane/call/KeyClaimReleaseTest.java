package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.Allowance;
import io.integrationhub.dataplane.admission.ConcurrencyLimits;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.admission.Outcome;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.body.TestBodies;
import io.integrationhub.dataplane.callrecord.CallRecords;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.dataplane.credentials.OutboundCredentials;
import io.integrationhub.dataplane.observe.CallObserver;
import io.integrationhub.dataplane.provider.ProviderCache;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.idempotency.IdempotencyRepository;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whatever unexpected failure a step throws, the idempotency claim it leaves is released at once:
 * the caller's retry with the same key runs (it is not answered 409 for the whole lease). Real
 * PostgreSQL for the claims; the steps are fakes that throw where told.
 */
class KeyClaimReleaseTest {
    enum Step {
        ADMIT,
        CREDENTIALS,
        UPSTREAM,
        RECORD_OUTCOME,
        READ_ANSWER
    }

    private static TestDatabase testDatabase;
    private static Database database;
    private static CallRecords records;
    private static ProviderCache providers;
    private static IdempotencyRepository idempotency;
    private static Provider provider;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        Sealer sealer = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null));
        ProviderRepository repository = new ProviderRepository(database.jdbi(), sealer, Clock.systemUTC());
        provider = repository.create(
                "t1",
                new ProviderValidator(true)
                        .validateNew(Json.mapper()
                                .createObjectNode()
                                .put("name", "psp")
                                .put("type", "payment")
                                .put("baseUrl", "https://psp.example.test")
                                .set("auth", Json.mapper().createObjectNode().put("type", "none"))),
                ManagedBy.API);
        providers = new ProviderCache(
                repository, Clock.systemUTC(), new io.integrationhub.dataplane.egress.InsecureHttpGuard(true));
        idempotency = new IdempotencyRepository(database.jdbi(), sealer, Clock.systemUTC());
        records = CallRecords.start(
                dir.resolve("spool"),
                sealer,
                new DeadLetterRepository(database.jdbi(), sealer, Clock.systemUTC()),
                idempotency,
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        records.close();
        database.close();
        testDatabase.close();
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void anUnexpectedFailureAtAnyStepReleasesTheClaim(Step failing) {
        Faulty faults = new Faulty();
        Bodies bodies = TestBodies.in(dir, 8 << 20, 4096, 1 << 20);
        Attempts attempts = new Attempts(
                faults,
                faults,
                faults.upstream(),
                d -> {},
                Clock.systemUTC(),
                RandomGenerator.getDefault(),
                100,
                new CallStats(Clock.systemUTC()),
                new Waiters(10));
        CallService calls = new CallService(
                providers, new ConcurrencyLimits(), idempotency, records, CallObserver.NONE, bodies, 1 << 20, attempts);
        Caller caller = new Caller("module", "t1", Set.of("call"));
        String key = "claim-" + failing + "-" + System.nanoTime();
        CallRequest request = new CallRequest(
                "psp",
                "POST",
                "/v1/charges",
                null,
                Map.of(),
                "application/json",
                Body.of("{\"amount\":1}".getBytes()),
                key,
                null,
                null);

        faults.failing = failing;
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            if (failing == Step.READ_ANSWER) {
                // Reading a small answer is part of the attempt: it failed every time, so the call was parked
                // (nothing reached the caller), which also ends the claim.
                assertThat(calls.execute(caller, request, scope.memory())).isInstanceOf(CallResult.Parked.class);
            } else {
                assertThatThrownBy(() -> calls.execute(caller, request, scope.memory()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("injected at " + failing);
            }
        }
        faults.failing = null;
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            CallResult again = calls.execute(caller, request, scope.memory());
            assertThat(again)
                    .as("the same key runs again at once, not 409 until the lease ends")
                    .isInstanceOfSatisfying(CallResult.Answered.class, answered -> {
                        assertThat(answered.status()).isEqualTo(201);
                        answered.body().close();
                    });
        }
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            assertThat(calls.execute(caller, request, scope.memory()))
                    .as("and completed it: a replay")
                    .isInstanceOf(CallResult.Replayed.class);
        }
    }

    /** Admission, credentials and upstream that throw at one chosen step. */
    private static final class Faulty implements Admission, OutboundCredentials {
        volatile Step failing;

        private void maybeFail(Step step) {
            if (failing == step) {
                throw new IllegalStateException("injected at " + step);
            }
        }

        @Override
        public Decision admit(Provider provider, Allowance allowance, boolean retry) {
            maybeFail(Step.ADMIT);
            return new Decision.Admitted(false, 1, true);
        }

        @Override
        public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
            maybeFail(Step.RECORD_OUTCOME);
        }

        @Override
        public void pause(Provider provider, Duration wait) {}

        @Override
        public BreakerView breaker(Provider provider) {
            return new BreakerView("CLOSED", 0, Duration.ZERO, 0);
        }

        @Override
        public OutboundAuth authFor(Provider provider) {
            maybeFail(Step.CREDENTIALS);
            return OutboundAuth.NONE;
        }

        @Override
        public boolean refusedToken(Provider provider, OutboundAuth refused) {
            return false;
        }

        UpstreamCaller upstream() {
            return new UpstreamCaller(null) {
                @Override
                UpstreamAnswer call(
                        boolean allowPrivateNetwork,
                        String method,
                        URI uri,
                        Map<String, List<String>> headers,
                        Body body,
                        Duration timeout,
                        Duration streamIdle) {
                    maybeFail(Step.UPSTREAM);
                    byte[] answer = "{\"id\":\"ch_1\"}".getBytes();
                    return new UpstreamAnswer(
                            201,
                            Map.of(),
                            answer.length,
                            new ByteArrayInputStream(answer) {
                                @Override
                                public synchronized int read(byte[] b, int off, int len) {
                                    maybeFail(Step.READ_ANSWER);
                                    return super.read(b, off, len);
                                }
                            },
                            () -> {});
                }
            };
        }
    }
}
