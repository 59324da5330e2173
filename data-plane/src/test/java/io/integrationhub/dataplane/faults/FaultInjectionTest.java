package io.integrationhub.dataplane.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.PrivateKafka;
import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.call.Sleeper;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.SuiteCounts;
import io.integrationhub.testkit.TcpProxy;
import io.integrationhub.testkit.TestDatabase;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The promise under faults, end to end: two hub instances take a steady stream of calls (keyed and
 * unkeyed, succeeding and failing upstream) while Redis, PostgreSQL, the provider (WireMock resets
 * and delays), RabbitMQ and Kafka fail one at a time — each for real: a private redis-server and a
 * private Kafka broker are stopped and started, PostgreSQL's and RabbitMQ's connections are cut by
 * TCP proxies of the test's own (the machine's shared servers are never touched). Afterwards every
 * call is reconciled: answered with the provider's answer, or a hub error naming a DLQ entry that
 * exists, or a documented fast rejection that the provider never saw; for keyed calls the provider
 * answered each key for one hub call at most; every outbox event reached Kafka. Counts are printed;
 * a lost or duplicated call fails the test. A failover phase cuts provider route-a (its connections
 * closed, new ones refused) and restores it while calls run through its route to route-b: counted
 * across both providers, no call is lost and none is executed by both.
 */
@Tag("faults")
class FaultInjectionTest {
    private static final String TENANT = "faults";
    private static final String CALL = "/api/v1/integrations/call";
    private static final String DLQ = "/api/v1/integrations/dlq";
    private static final int WORKERS = 4;
    private static final Duration PACE = Duration.ofMillis(8);
    /** The provider's own timeout; the delay fault answers later than this. */
    private static final int PSP_TIMEOUT_MS = 400;
    /** Hub answers that are documented fast rejections (type -> statuses it comes with). */
    private static final Map<String, Set<Integer>> FAST_REJECTIONS = Map.of(
            "unavailable", Set.of(503),
            "circuit-open", Set.of(503),
            "rate-limited", Set.of(429),
            "provider-throttled", Set.of(429),
            "concurrency-limited", Set.of(429, 503),
            "idempotency-conflict", Set.of(409));

    /** The breakers open under the faults (and reject fast); a short open period lets the stream see them close again. */
    private static final String BREAKER = "\"circuitBreaker\": {\"failureThreshold\": 5, \"openSec\": 2}";

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "hub-faults-" + suffix;
    private final String topic = "hub-faults-" + suffix;
    private WireMockServer provider;
    private TestDatabase database;
    private TcpProxy postgres;
    private TcpProxy rabbit;
    private PrivateRedis redis;
    private PrivateKafka kafka;
    private TestHub hubA;
    private TestHub hubB;
    private final UUID okStub = UUID.randomUUID();
    /** The failover route: route-a (behind a proxy the test cuts) fails over to route-b. */
    private WireMockServer routeA;

    private WireMockServer routeB;
    private TcpProxy routeACut;

    /** One logical call of a module, with every answer it got (a keyed call may be re-sent). */
    private record LoggedCall(String id, String kind, String key, List<Answer> answers) {
        Answer last() {
            return answers.get(answers.size() - 1);
        }
    }

    private final ConcurrentLinkedQueue<LoggedCall> calls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @BeforeEach
    void start() throws Exception {
        provider = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(60));
        provider.start();
        provider.stubFor(any(urlPathMatching("/ok/.*"))
                .withId(okStub)
                .atPriority(5)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":true}")));
        provider.stubFor(any(urlPathMatching("/fail/.*"))
                .atPriority(5)
                .willReturn(aResponse().withStatus(500)));
        routeA = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(30));
        routeB = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(30));
        routeA.start();
        routeB.start();
        routeA.stubFor(any(urlPathMatching("/route/.*"))
                .willReturn(aResponse().withStatus(200).withBody("{\"by\":\"a\"}")));
        routeB.stubFor(any(urlPathMatching("/route/.*"))
                .willReturn(aResponse().withStatus(200).withBody("{\"by\":\"b\"}")));
        routeACut = TcpProxy.start("127.0.0.1", routeA.port());
        database = TestDatabase.create();
        postgres =
                TcpProxy.start("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("HUB_TEST_PG_PORT", "5432")));
        rabbit = TcpProxy.start("127.0.0.1", 5672);
        redis = new PrivateRedis().start();
        kafka = PrivateKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        Map<String, String> env = Map.of(
                "INTEGRATION_DB_URL",
                "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database.name(),
                "INTEGRATION_VALKEY_URL",
                redis.url(),
                "INTEGRATION_VALKEY_PREFIX",
                "faults-" + suffix + ":",
                "INTEGRATION_RABBITMQ_URL",
                "amqp://guest:guest@127.0.0.1:" + rabbit.port() + "/hub-test",
                "INTEGRATION_RABBITMQ_QUEUE",
                queue,
                "INTEGRATION_KAFKA_BOOTSTRAP",
                kafka.bootstrap(),
                "INTEGRATION_KAFKA_TOPIC",
                topic,
                "INTEGRATION_EXPECTED_REPLICAS",
                "2");
        // Backoff waits shortened (the schedule itself is tested elsewhere); everything else is real time.
        Sleeper brief = wait -> Thread.sleep(Math.min(wait.toMillis(), 20));
        Hub.Options options = new Hub.Options(brief, Clock.systemUTC(), HostResolver.SYSTEM, new SecureRandom());
        hubA = TestHub.sharing(database, env, options);
        hubB = TestHub.sharing(database, env, options);
        Providers.create(
                hubA,
                TENANT,
                Providers.local(
                        "psp",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"timeoutMs\": " + PSP_TIMEOUT_MS
                                + ", \"rateLimitPerSec\": 10000, \"retry\": {\"maxAttempts\": 3}, " + BREAKER));
        Providers.create(
                hubA,
                TENANT,
                Providers.local(
                        "sms",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"rateLimitPerSec\": 10000, \"retry\": {\"maxAttempts\": 2}, " + BREAKER));
        Providers.create(
                hubA,
                TENANT,
                Providers.local(
                        "route-b",
                        routeB.port(),
                        "{\"type\":\"none\"}",
                        "\"timeoutMs\": " + PSP_TIMEOUT_MS
                                + ", \"rateLimitPerSec\": 10000, \"retry\": {\"maxAttempts\": 3}, " + BREAKER));
        Providers.create(
                hubA,
                TENANT,
                Providers.local(
                        "route-a",
                        routeACut.port(),
                        "{\"type\":\"none\"}",
                        "\"timeoutMs\": " + PSP_TIMEOUT_MS
                                + ", \"rateLimitPerSec\": 10000, \"retry\": {\"maxAttempts\": 3}, " + BREAKER
                                + ", \"failover\": {\"to\": [\"route-b\"]}"));
    }

    @AfterEach
    void stop() throws Exception {
        running.set(false);
        for (AutoCloseable closeable :
                new AutoCloseable[] {hubA, hubB, kafka, redis, rabbit, postgres, database, routeACut}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        provider.stop();
        for (WireMockServer route : new WireMockServer[] {routeA, routeB}) {
            if (route != null) {
                route.stop();
            }
        }
        try (com.rabbitmq.client.Connection admin = rabbitAdmin();
                com.rabbitmq.client.Channel channel = admin.createChannel()) {
            channel.queueDelete(queue);
            channel.queueDelete(queue + ".parking");
        }
    }

    @Test
    void underFaultsNoCallIsLostAndNoKeyedCallRunsTwice() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        AtomicInteger sequence = new AtomicInteger();
        for (int w = 0; w < WORKERS; w++) {
            workers.submit(() -> {
                while (running.get()) {
                    send(sequence.getAndIncrement());
                    Thread.sleep(PACE.toMillis());
                }
                return null;
            });
        }
        List<String> faults = new ArrayList<>();
        List<String> retriedDuringRabbitOutage = new ArrayList<>();

        pause(Duration.ofSeconds(3));
        faults.add("redis stopped 4 s");
        redis.stop();
        pause(Duration.ofSeconds(4));
        redis.start();
        awaitReady("valkey");

        faults.add("postgres cut 6 s");
        postgres.down();
        pause(Duration.ofSeconds(6));
        postgres.up();
        awaitReady("postgres");
        awaitReady("callRecordSpool");

        faults.add("provider resets 3 s");
        StubMapping reset = provider.stubFor(any(urlPathMatching("/ok/.*"))
                .atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        pause(Duration.ofSeconds(3));
        provider.removeStub(reset);
        faults.add("provider delays 3 s (past the timeout)");
        StubMapping slow = provider.stubFor(any(urlPathMatching("/ok/.*"))
                .atPriority(1)
                .willReturn(
                        aResponse().withStatus(200).withBody("{\"late\":true}").withFixedDelay(PSP_TIMEOUT_MS + 300)));
        pause(Duration.ofSeconds(3));
        provider.removeStub(slow);

        faults.add("rabbitmq cut 4 s");
        rabbit.down();
        retriedDuringRabbitOutage.addAll(requestRetries(10));
        pause(Duration.ofSeconds(4));
        rabbit.up();

        faults.add("route-a cut 4 s, then restored");
        routeACut.down();
        pause(Duration.ofSeconds(4));
        routeACut.up();
        pause(Duration.ofSeconds(3)); // route-a's breaker closes again (openSec 2): calls come back to it

        faults.add("kafka stopped 5 s");
        kafka.stopBroker();
        pause(Duration.ofSeconds(5));
        kafka.startBroker();
        pause(Duration.ofSeconds(2));

        running.set(false);
        workers.shutdown();
        assertThat(workers.awaitTermination(90, TimeUnit.SECONDS))
                .as("the call stream ends")
                .isTrue();

        Reconciliation result = reconcile(retriedDuringRabbitOutage);
        SuiteCounts.print("fault injection", "faults " + faults);
        SuiteCounts.print("fault injection", result.summary());
        result.problems().forEach(problem -> System.out.println("fault injection: PROBLEM " + problem));
        assertThat(result.sent()).as("a steady stream was sent").isGreaterThan(200);
        assertThat(result.lost()).as("lost calls: " + result.problems()).isZero();
        assertThat(result.duplicated())
                .as("keys the provider answered for two hub calls: " + result.problems())
                .isZero();
        assertThat(result.route().duplicated())
                .as("route calls executed by both providers: " + result.problems())
                .isZero();
        assertThat(result.route().failedOver())
                .as("route calls answered by route-b after route-a was cut")
                .isPositive();
        assertThat(result.route().byA()).as("route calls answered by route-a").isPositive();
        assertThat(result.missingEvents())
                .as("outbox events that never reached Kafka")
                .isZero();
        assertThat(result.succeeded()).isPositive();
        assertThat(result.dlq()).isPositive();
    }

    // ------------------------------------------------------------------ the call stream

    private void send(int n) {
        String id = "c" + n + "-" + suffix;
        TestHub first = n % 2 == 0 ? hubA : hubB;
        TestHub other = first == hubA ? hubB : hubA;
        switch (n % 6) {
            case 0, 1 -> calls.add(keyedUntilFinal(id, "keyed-ok", "psp", "/ok/" + id, first, other));
            case 2 ->
                calls.add(once(
                        id,
                        "unkeyed-ok",
                        first,
                        () -> first.client()
                                .send(
                                        "GET",
                                        "/api/v1/integrations/proxy/psp/ok/" + id,
                                        first.token(TENANT, Scope.CALL),
                                        null,
                                        Map.of("X-Call-Id", id))));
            case 3 -> calls.add(once(id, "keyed-fail", first, () -> envelope(first, "sms", "/fail/" + id, id, id)));
            case 4 -> calls.add(once(id, "unkeyed-fail", first, () -> envelope(first, "sms", "/fail/" + id, id, null)));
            default ->
                calls.add(
                        (n / 6) % 2 == 0
                                ? keyedUntilFinal(id, "route-keyed", "route-a", "/route/" + id, first, other)
                                : once(
                                        id,
                                        "route-unkeyed",
                                        first,
                                        () -> envelope(first, "route-a", "/route/" + id, id, null)));
        }
    }

    private static Answer envelope(TestHub hub, String provider, String path, String callId, String key) {
        String keyField = key == null ? "" : ", \"idempotencyKey\": \"" + key + "\"";
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token(TENANT, Scope.CALL),
                        """
                {"provider": "%s", "method": "POST", "path": "%s", "headers": {"X-Call-Id": "%s"},
                 "body": {"amount": 100, "call": "%s"}%s}""".formatted(provider, path, callId, callId, keyField),
                        Map.of("Content-Type", "application/json"));
    }

    private LoggedCall once(String id, String kind, TestHub hub, java.util.function.Supplier<Answer> request) {
        List<Answer> answers = new ArrayList<>();
        answers.add(attempt(request));
        return new LoggedCall(id, kind, kind.startsWith("keyed") ? id : null, answers);
    }

    /** A module's keyed call: re-sent with the same key (alternating instances) until it gets a final answer. */
    private LoggedCall keyedUntilFinal(
            String id, String kind, String providerName, String path, TestHub first, TestHub other) {
        List<Answer> answers = new ArrayList<>();
        for (int tries = 0; tries < 8; tries++) {
            TestHub hub = tries % 2 == 0 ? first : other;
            Answer answer = attempt(() -> envelope(hub, providerName, path, id, id));
            answers.add(answer);
            if (answer.status() < 300 || !Set.of(409, 429, 502, 503, 504).contains(answer.status())) {
                break;
            }
            sleepQuietly(Duration.ofMillis(250));
        }
        return new LoggedCall(id, kind, id, answers);
    }

    private static Answer attempt(java.util.function.Supplier<Answer> request) {
        try {
            return request.get();
        } catch (RuntimeException noAnswer) {
            return new Answer(-1, Map.of(), noAnswer.getClass().getSimpleName());
        }
    }

    /** Operator retries of parked psp calls, asked for while RabbitMQ is cut off (they must not be lost). */
    private List<String> requestRetries(int count) {
        List<String> asked = new ArrayList<>();
        for (LoggedCall call : List.copyOf(calls)) {
            if (asked.size() == count) {
                break;
            }
            String entry = call.kind().endsWith("-ok") ? dlqEntryId(call.last()) : null;
            if (entry == null) {
                continue;
            }
            Answer answer = hubA.client()
                    .send("POST", DLQ + "/" + entry + "/retry", hubA.token(TENANT, Scope.DLQ_WRITE), null, Map.of());
            if (answer.status() == 202) {
                asked.add(entry);
            }
        }
        return asked;
    }

    // ------------------------------------------------------------------ reconciliation

    private record Reconciliation(
            int sent,
            int succeeded,
            int dlq,
            int rejected,
            int lost,
            int duplicated,
            int resentAfterTimeout,
            int retriesRequested,
            int outboxEvents,
            int eventsDelivered,
            int missingEvents,
            Map<String, Integer> rejections,
            List<String> problems,
            RouteCounts route) {
        String summary() {
            return "sent=" + sent + " succeeded=" + succeeded + " dlq=" + dlq + " rejected=" + rejected + " "
                    + rejections
                    + " lost=" + lost + " duplicated=" + duplicated
                    + " | keys re-sent after a provider timeout (same key, for the"
                    + " provider to dedupe)=" + resentAfterTimeout + " | DLQ retries asked during the RabbitMQ cut="
                    + retriesRequested
                    + " | events: outbox=" + outboxEvents + " delivered=" + eventsDelivered + " missing="
                    + missingEvents
                    + " | failover route: " + route.summary();
        }
    }

    /**
     * The route calls counted across both providers: answered by route-a, by route-b after failing
     * over, parked; {@code duplicated} = calls either provider executed twice or both executed.
     */
    private record RouteCounts(
            int sent,
            int byA,
            int byB,
            int failedOver,
            int dlq,
            int rejected,
            int lost,
            int duplicated,
            int resentAfterCut) {
        String summary() {
            return "sent=" + sent + " answered by route-a=" + byA + " by route-b=" + byB + " (failed over=" + failedOver
                    + ") dlq=" + dlq
                    + " rejected=" + rejected + " lost=" + lost + " duplicated=" + duplicated
                    + " | keys re-sent to route-a after a cut mid-request (same key,"
                    + " for the provider to dedupe)=" + resentAfterCut;
        }
    }

    /** Per call id: the hub calls (spans) each route provider executed it for. */
    private static Map<String, Set<String>> executed(WireMockServer server) {
        Map<String, Set<String>> spans = new HashMap<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            String callId = event.getRequest().getHeader("X-Call-Id");
            if (callId != null) {
                spans.computeIfAbsent(callId, k -> new HashSet<>())
                        .add(span(event.getRequest().getHeader("traceparent")));
            }
        }
        return spans;
    }

    /**
     * The failover route's promise: a call answered names a provider that executed it; no call is
     * executed by both providers (the hub moved on only when route-a provably did not execute it),
     * nor by route-b for two hub calls. A keyed call that route-a may have executed when its
     * connection was cut is re-sent to route-a with the same key (counted, for it to dedupe), never to route-b.
     */
    private RouteCounts reconcileRoute(List<String> problems, String dlqRead) {
        Map<String, Set<String>> atA = executed(routeA);
        Map<String, Set<String>> atB = executed(routeB);
        int sent = 0;
        int byA = 0;
        int byB = 0;
        int failedOver = 0;
        int dlq = 0;
        int rejected = 0;
        int lost = 0;
        for (LoggedCall call : calls) {
            if (!call.kind().startsWith("route-")) {
                continue;
            }
            sent++;
            Answer last = call.last();
            String entry = dlqEntryId(last);
            if (last.status() >= 200 && last.status() < 300) {
                String by = last.header("X-Integration-Provider").orElse("?");
                Map<String, Set<String>> where = by.equals("route-a") ? atA : by.equals("route-b") ? atB : Map.of();
                if (!where.containsKey(call.id())) {
                    lost++;
                    problems.add(call.id() + ": answered by " + by + " which never saw it");
                } else if (by.equals("route-a")) {
                    byA++;
                } else {
                    byB++;
                    failedOver += last.header("X-Integration-Route").orElse("").equals("route-a>route-b") ? 1 : 0;
                }
            } else if ((last.status() == 502 || last.status() == 504)
                    && entry != null
                    && hubA.client().get(DLQ + "/" + entry, dlqRead).status() == 200) {
                dlq++;
            } else {
                String type = problemType(last);
                boolean fast = type != null
                        && FAST_REJECTIONS.getOrDefault(type, Set.of()).contains(last.status());
                // A keyed call refused fast after an earlier send of it was parked: the dead letter holds it.
                String parkedBefore = call.answers().stream()
                        .map(FaultInjectionTest::dlqEntryId)
                        .filter(java.util.Objects::nonNull)
                        .reduce((first, second) -> second)
                        .orElse(null);
                if (fast
                        && parkedBefore != null
                        && hubA.client().get(DLQ + "/" + parkedBefore, dlqRead).status() == 200) {
                    dlq++;
                } else if (fast && !atA.containsKey(call.id()) && !atB.containsKey(call.id())) {
                    rejected++;
                } else {
                    lost++;
                    problems.add(call.id() + " (" + call.kind() + "): final answer " + last.status() + " "
                            + abbreviate(last.body()));
                }
            }
        }
        int duplicated = 0;
        int resentAfterCut = 0;
        Set<String> ids = new HashSet<>(atA.keySet());
        ids.addAll(atB.keySet());
        for (String id : ids) {
            Set<String> a = atA.getOrDefault(id, Set.of());
            Set<String> b = atB.getOrDefault(id, Set.of());
            if (!a.isEmpty() && !b.isEmpty()) {
                duplicated++;
                problems.add("route call " + id + " executed by route-a (" + a.size() + " hub calls) and by route-b ("
                        + b.size() + ")");
            } else if (b.size() > 1) {
                duplicated++;
                problems.add("route call " + id + " executed by route-b for " + b.size() + " hub calls");
            } else if (a.size() > 1) {
                resentAfterCut++;
            }
        }
        return new RouteCounts(sent, byA, byB, failedOver, dlq, rejected, lost, duplicated, resentAfterCut);
    }

    private Reconciliation reconcile(List<String> retried) throws Exception {
        List<ServeEvent> served = provider.getAllServeEvents();
        Set<String> callIdsSeen = new HashSet<>();
        Map<String, Set<String>> promptHubCallsPerKey = new HashMap<>();
        Map<String, Integer> timedOutPerKey = new HashMap<>();
        for (ServeEvent event : served) {
            String callId = event.getRequest().getHeader("X-Call-Id");
            if (callId != null) {
                callIdsSeen.add(callId);
            }
            String key = event.getRequest().getHeader("Idempotency-Key");
            if (key == null || !event.getRequest().getUrl().startsWith("/ok/")) {
                continue;
            }
            boolean prompt = event.getStubMapping() != null
                    && okStub.equals(event.getStubMapping().getId());
            if (prompt) {
                // All attempts and replays of ONE hub call share its traceparent span; a second span is a second call.
                promptHubCallsPerKey
                        .computeIfAbsent(key, k -> new HashSet<>())
                        .add(span(event.getRequest().getHeader("traceparent")));
            } else {
                timedOutPerKey.merge(key, 1, Integer::sum);
            }
        }

        awaitReady("postgres");
        awaitReady("callRecordSpool");
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        int succeeded = 0;
        int dlq = 0;
        int rejected = 0;
        int lost = 0;
        Map<String, Integer> rejections = new LinkedHashMap<>();
        String dlqRead = hubA.token(TENANT, Scope.DLQ_READ);
        RouteCounts route = reconcileRoute(problems, dlqRead);
        lost += route.lost();
        for (LoggedCall call : calls) {
            if (call.kind().startsWith("route-")) {
                continue;
            }
            Answer last = call.last();
            String type = problemType(last);
            String entry = dlqEntryId(last);
            if (last.status() >= 200 && last.status() < 300) {
                if (call.kind().equals("unkeyed-ok") && !callIdsSeen.contains(call.id())) {
                    lost++;
                    problems.add(call.id() + ": answered " + last.status() + " but the provider never saw it");
                } else {
                    succeeded++;
                }
            } else if ((last.status() == 502 || last.status() == 504) && entry != null) {
                Answer parked = hubA.client().get(DLQ + "/" + entry, dlqRead);
                if (parked.status() == 200) {
                    dlq++;
                } else {
                    lost++;
                    problems.add(
                            call.id() + ": told it was parked as " + entry + " but the DLQ answers " + parked.status());
                }
            } else if (type != null
                    && FAST_REJECTIONS.getOrDefault(type, Set.of()).contains(last.status())) {
                boolean providerActed = call.kind().equals("unkeyed-ok")
                        ? callIdsSeen.contains(call.id())
                        : call.kind().equals("keyed-ok") && promptHubCallsPerKey.containsKey(call.key());
                if (providerActed) {
                    lost++; // the provider acted, yet the caller was told the hub refused: an answer lost
                    problems.add(call.id() + ": rejected " + type + " although the provider answered it");
                } else {
                    rejected++;
                    rejections.merge(type, 1, Integer::sum);
                }
            } else {
                lost++;
                problems.add(call.id() + " (" + call.kind() + "): final answer " + last.status() + " "
                        + abbreviate(last.body()));
            }
        }
        int duplicated = 0;
        for (Map.Entry<String, Set<String>> key : promptHubCallsPerKey.entrySet()) {
            if (key.getValue().size() > 1) {
                duplicated++;
                problems.add("key " + key.getKey() + " answered by the provider for "
                        + key.getValue().size() + " hub calls");
            }
        }
        int resentAfterTimeout = (int) timedOutPerKey.keySet().stream()
                .filter(promptHubCallsPerKey::containsKey)
                .count();

        // Retries asked for while RabbitMQ was away are replayed once it is back (none stays "retrying").
        String dlqToken = hubA.adminToken(TENANT);
        for (String entry : retried) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Answer state = hubA.client().get(DLQ + "/" + entry, dlqToken);
                assertThat(state.json().path("status").asText())
                        .as(state.body())
                        .isNotEqualTo("retrying");
            });
        }

        // Every outbox event reaches Kafka (the relay marks it sent only after the broker's ack), none lost.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0);
        Set<String> outbox = new HashSet<>(strings("SELECT event_id FROM outbox"));
        Set<String> delivered = consumeEventIds();
        Set<String> missing = new HashSet<>(outbox);
        missing.removeAll(delivered);
        missing.forEach(id -> problems.add("event " + id + " is in the outbox but not in Kafka"));
        return new Reconciliation(
                calls.size(),
                succeeded + route.byA() + route.byB(),
                dlq + route.dlq(),
                rejected + route.rejected(),
                lost,
                duplicated,
                resentAfterTimeout,
                retried.size(),
                outbox.size(),
                delivered.size(),
                missing.size(),
                rejections,
                problems,
                route);
    }

    private Set<String> consumeEventIds() {
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = IntStream.range(0, 3)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    try {
                        ids.add(Json.mapper()
                                .readTree(record.value())
                                .path("id")
                                .asText());
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------ helpers

    private void awaitReady(String check) {
        for (TestHub hub : List.of(hubA, hubB)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                Answer ready = hub.client().get("/health/ready", null);
                String status = check.equals("postgres")
                        ? ready.json().path("status").asText()
                        : ready.json().path("checks").path(check).asText();
                assertThat(status).as(check).isEqualTo("UP");
            });
        }
    }

    private static String problemType(Answer answer) {
        if (answer.status() < 400 || answer.body() == null || !answer.body().startsWith("{")) {
            return null;
        }
        String type = answer.json().path("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    private static String dlqEntryId(Answer answer) {
        if (answer.status() != 502 && answer.status() != 504) {
            return null;
        }
        String id = answer.json().path("dlqEntryId").asText();
        return id.isEmpty() ? null : id;
    }

    private static String span(String traceparent) {
        String[] parts = traceparent == null ? new String[0] : traceparent.split("-");
        return parts.length == 4 ? parts[2] : "none";
    }

    private long count(String sql) throws Exception {
        return Long.parseLong(strings(sql).get(0));
    }

    private List<String> strings(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static com.rabbitmq.client.Connection rabbitAdmin() throws Exception {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setUri("amqp://guest:guest@127.0.0.1:5672/hub-test");
        return factory.newConnection("fault-injection-test");
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static void pause(Duration duration) {
        sleepQuietly(duration);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
