package io.integrationhub.dataplane.admission;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.TwoHubs;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.observe.Scrape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fair shares of one provider's limit across two instances sharing Valkey: a batch module can never
 * take the headroom a critical one needs, and a capped module never passes its cap in any rolling
 * second, whichever instance its calls go through.
 */
@Tag("hub")
class FairShareTest {
    private static WireMockServer provider;
    private static TwoHubs hubs;
    private static TestHub a;
    private static TestHub b;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(100));
        provider.start();
        provider.stubFor(any(urlPathEqualTo("/pay")).willReturn(aResponse().withStatus(200)));
        hubs = TwoHubs.start();
        a = hubs.first();
        b = hubs.second();
    }

    @AfterAll
    static void stop() {
        hubs.close();
        provider.stop();
    }

    /** One module's stream of calls: {@code perSecond} for {@code seconds}, through one instance. */
    private record Stream(TestHub via, String module, int perSecond, Map<String, String> headers) {
        Stream(TestHub via, String module, int perSecond) {
            this(via, module, perSecond, Map.of("Content-Type", "application/json"));
        }

        /** The same stream, each call carrying the caller's deadline. */
        Stream withDeadline(int timeoutMs) {
            return new Stream(
                    via,
                    module,
                    perSecond,
                    Map.of(
                            "Content-Type",
                            "application/json",
                            "X-Integration-Timeout-Ms",
                            Integer.toString(timeoutMs)));
        }
    }

    /** What was sent and what the provider saw, each call tagged with its module and sequence number. */
    private static final class Run {
        final Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
        final Map<Integer, String> moduleOf = new ConcurrentHashMap<>();
        final Map<Integer, Integer> status = new ConcurrentHashMap<>();
        List<LoggedRequest> seen;

        long answered(String module, int code) {
            return status.entrySet().stream()
                    .filter(e -> moduleOf.get(e.getKey()).equals(module) && e.getValue() == code)
                    .count();
        }

        final Map<Integer, String> bodies = new ConcurrentHashMap<>();
        final Map<Integer, Long> tookMillis = new ConcurrentHashMap<>();

        /** How long the slowest answer with this status took. */
        long slowest(int code) {
            return status.entrySet().stream()
                    .filter(e -> e.getValue() == code)
                    .mapToLong(e -> tookMillis.get(e.getKey()))
                    .max()
                    .orElse(0);
        }

        List<String> answers(String module) {
            return status.keySet().stream()
                    .filter(seq -> moduleOf.get(seq).equals(module))
                    .sorted()
                    .map(seq -> seq + "@" + (startedAt.get(seq) % 100_000) + ": " + status.get(seq) + " "
                            + (status.get(seq) == 200 ? "" : bodies.get(seq)))
                    .toList();
        }

        long sent(String module) {
            return moduleOf.values().stream().filter(module::equals).count();
        }

        /**
         * The most calls matching {@code which} that certainly reached the provider within one second:
         * admitted after the call started and before the provider logged it, so only calls started at or
         * after a second's start and seen before its end are counted (exact however threads are scheduled).
         */
        long mostInAnyRollingSecond(Predicate<String> which) {
            List<long[]> spans = seen.stream()
                    .map(r -> Integer.parseInt(r.getHeader("X-Seq")))
                    .filter(seq -> which.test(moduleOf.get(seq)))
                    .map(seq -> new long[] {startedAt.get(seq), seenAt(seq)})
                    .toList();
            long most = 0;
            for (long[] first : spans) {
                long from = first[0];
                most = Math.max(
                        most,
                        spans.stream()
                                .filter(s -> s[0] >= from && s[1] < from + 1000)
                                .count());
            }
            return most;
        }

        private long seenAt(int seq) {
            return seen.stream()
                    .filter(r -> r.getHeader("X-Seq").equals(Integer.toString(seq)))
                    .findFirst()
                    .orElseThrow()
                    .getLoggedDate()
                    .getTime();
        }
    }

    private static Run run(String providerName, int seconds, Stream... streams) {
        provider.resetRequests();
        Run run = new Run();
        // One virtual thread a call, each waiting for its own moment: no call waits behind another's schedule.
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        long start = System.currentTimeMillis() + 300;
        int seq = 0;
        for (Stream stream : streams) {
            String token = stream.via().moduleToken("fair", stream.module(), Scope.CALL);
            for (int i = 0; i < stream.perSecond() * seconds; i++) {
                int id = seq++;
                long sendAt = start + i * 1000L / stream.perSecond();
                run.moduleOf.put(id, stream.module());
                calls.add(CompletableFuture.runAsync(
                        () -> {
                            sleep(sendAt - System.currentTimeMillis());
                            run.startedAt.put(id, System.currentTimeMillis());
                            Answer answer = stream.via()
                                    .client()
                                    .send(
                                            "POST",
                                            "/api/v1/integrations/call",
                                            token,
                                            "{\"provider\":\"" + providerName
                                                    + "\",\"method\":\"POST\",\"path\":\"/pay\",\"headers\":{\"X-Seq\":\""
                                                    + id + "\"}}",
                                            stream.headers());
                            run.tookMillis.put(id, System.currentTimeMillis() - run.startedAt.get(id));
                            run.status.put(id, answer.status());
                            run.bodies.put(id, answer.body());
                        },
                        pool));
            }
        }
        calls.forEach(CompletableFuture::join);
        pool.shutdown();
        run.seen = provider.findAll(anyRequestedFor(urlPathEqualTo("/pay")));
        return run;
    }

    @Test
    void batchTrafficNeverTakesTheHeadroomCriticalTrafficNeeds() {
        Providers.create(a, "fair", Providers.local("psp", provider.port(), "{\"type\":\"none\"}", """
                "rateLimitPerSec": 10, "retry": {"maxAttempts": 1},
                "priorities": {"payments": "critical", "reports": "batch"}"""));
        Run run = run("psp", 5, new Stream(a, "reports", 50), new Stream(b, "payments", 2));

        assertThat(run.answered("payments", 200))
                .as("every payments call admitted: %s", run.answers("payments"))
                .isEqualTo(run.sent("payments"));
        assertThat(run.mostInAnyRollingSecond("reports"::equals))
                .as("reports (batch, share 0.5 of 10)")
                .isLessThanOrEqualTo(5);
        assertThat(run.mostInAnyRollingSecond(module -> true))
                .as("the provider")
                .isLessThanOrEqualTo(10);
        // Not starved (at least one second's share; fewer than 25 on a loaded machine, where calls start late).
        assertThat(run.answered("reports", 200))
                .as("batch still gets its share")
                .isBetween(5L, 35L);
        assertThat(run.answered("reports", 200) + run.answered("reports", 429)).isEqualTo(run.sent("reports"));
    }

    @Test
    void aCappedModuleStaysUnderItsCapAndOthersAreUnaffected() {
        Providers.create(a, "fair", Providers.local("sms", provider.port(), "{\"type\":\"none\"}", """
                "rateLimitPerSec": 20, "retry": {"maxAttempts": 1}, "moduleLimits": {"reports": 3}"""));
        Run run = run("sms", 3, new Stream(a, "reports", 20), new Stream(b, "checkout", 4));

        assertThat(run.mostInAnyRollingSecond("reports"::equals))
                .as("reports' cap")
                .isLessThanOrEqualTo(3);
        assertThat(run.answered("reports", 200))
                .as("the cap is reached, not starved")
                .isBetween(6L, 15L);
        assertThat(run.answered("checkout", 200)).as("others unaffected").isEqualTo(run.sent("checkout"));
    }

    @Test
    void aBurstOverTheLimitWaitsForSlotsInsteadOfGetting429() {
        String mail = Providers.create(a, "fair", Providers.local("mail", provider.port(), "{\"type\":\"none\"}", """
                "rateLimitPerSec": 5, "retry": {"maxAttempts": 1}, "maxQueueMs": 5000"""));
        long started = System.currentTimeMillis();
        Run run = run("mail", 1, new Stream(a, "newsletter", 10), new Stream(b, "receipts", 10));
        long took = System.currentTimeMillis() - started;

        assertThat(run.answered("newsletter", 200) + run.answered("receipts", 200))
                .as("all 20 wait for a slot: %s %s", run.answers("newsletter"), run.answers("receipts"))
                .isEqualTo(20);
        assertThat(run.mostInAnyRollingSecond(module -> true))
                .as("the provider")
                .isLessThanOrEqualTo(5);
        // 20 at 5 a second: the last slot frees after about 3 s (4 s at most plus scheduling on a loaded machine).
        assertThat(took).isBetween(2_500L, 7_000L);
        // The waits are visible: each instance's histogram counted its waiters, and some waited a second or more.
        Scrape metrics = Scrape.parse(a.management().get("/metrics", null).body());
        assertThat(metrics.value("integration_hub_admission_wait_seconds_count", "provider", mail))
                .isPositive();
        assertThat(metrics.value("integration_hub_admission_wait_seconds_max", "provider", mail))
                .isGreaterThan(0.5);
        // Provider health names who used the limit across both instances (UsageSharingTest sums them
        // exactly), how long calls waited here, and that nobody waits any more.
        var usage = a.client()
                .get("/api/v1/integrations/providers/mail/health", a.token("fair", Scope.PROVIDERS_READ))
                .json()
                .path("usage");
        assertThat(usage.path("scope").asText()).isEqualTo("cluster");
        assertThat(usage.path("waiting").asInt()).isZero();
        assertThat(usage.path("byClass").has("critical")).isTrue();
        usage.path("byModule")
                .fieldNames()
                .forEachRemaining(module -> assertThat(module).isIn("newsletter", "receipts"));
        assertThat(usage.path("waited").path("calls").asInt()).isPositive();
        assertThat(usage.path("waited").path("p99Ms").asLong()).isGreaterThan(500);
    }

    /** The same burst with a 200 ms deadline: no slot frees in time, so the excess is refused at once. */
    @Test
    void aBurstWhoseDeadlineCannotFitASlotIsRefusedAtOnce() {
        Providers.create(a, "fair", Providers.local("push", provider.port(), "{\"type\":\"none\"}", """
                "rateLimitPerSec": 5, "retry": {"maxAttempts": 1}, "maxQueueMs": 5000"""));
        Run run = run(
                "push",
                1,
                new Stream(a, "alerts", 10).withDeadline(200),
                new Stream(b, "digests", 10).withDeadline(200));

        long admitted = run.answered("alerts", 200) + run.answered("digests", 200);
        long refused = run.answered("alerts", 429) + run.answered("digests", 429);
        // The 20 are sent over a second: the last ones may still catch the first slots freeing, not more.
        assertThat(admitted).as("admitted").isBetween(1L, 10L);
        assertThat(run.mostInAnyRollingSecond(module -> true))
                .as("the provider")
                .isLessThanOrEqualTo(5);
        // On a machine so loaded that a call's 200 ms pass before its attempt could start, it ends 504
        // deadline-exceeded at its deadline instead: that is not waiting either.
        long expired = run.answered("alerts", 504) + run.answered("digests", 504);
        assertThat(admitted + refused + expired).isEqualTo(20);
        assertThat(refused).as("refused").isPositive();
        // Waiting would have meant the next slot, most of a second away; a refusal comes back at once.
        assertThat(run.slowest(429)).as("slowest 429 (ms)").isLessThan(600);
        assertThat(run.slowest(504)).as("slowest 504 (ms)").isLessThan(600);
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
