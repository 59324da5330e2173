package io.integrationhub.dataplane.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.dataplane.grpc.v1.Auth;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import io.integrationhub.dataplane.grpc.v1.CircuitBreaker;
import io.integrationhub.dataplane.grpc.v1.CreateProviderRequest;
import io.integrationhub.dataplane.grpc.v1.DeadLetter;
import io.integrationhub.dataplane.grpc.v1.DeadLetterFilter;
import io.integrationhub.dataplane.grpc.v1.DeleteDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.DeleteProviderRequest;
import io.integrationhub.dataplane.grpc.v1.GetDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.GetProviderHealthRequest;
import io.integrationhub.dataplane.grpc.v1.GetProviderRequest;
import io.integrationhub.dataplane.grpc.v1.GetRetryAllProgressRequest;
import io.integrationhub.dataplane.grpc.v1.HeaderValues;
import io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceGrpc;
import io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceGrpc.IntegrationHubServiceBlockingStub;
import io.integrationhub.dataplane.grpc.v1.ListDeadLettersRequest;
import io.integrationhub.dataplane.grpc.v1.ListDeadLettersResponse;
import io.integrationhub.dataplane.grpc.v1.ListProvidersRequest;
import io.integrationhub.dataplane.grpc.v1.ListProvidersResponse;
import io.integrationhub.dataplane.grpc.v1.Provider;
import io.integrationhub.dataplane.grpc.v1.ProviderConfig;
import io.integrationhub.dataplane.grpc.v1.Retry;
import io.integrationhub.dataplane.grpc.v1.RetryAllBatch;
import io.integrationhub.dataplane.grpc.v1.RetryAllDeadLettersRequest;
import io.integrationhub.dataplane.grpc.v1.RetryDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.UpdateProviderRequest;
import io.integrationhub.registry.Ids;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.SuiteCounts;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every RPC of {@code IntegrationHubService}, taken from the service descriptor, against tenant A's
 * providers, dead letters and retry-all batch, called by tenant B with a valid token holding every
 * scope: B's answer is the answer for a resource that does not exist (same code, same message with
 * the reference swapped), listings show B only its own, A's rows are unchanged and nothing reaches
 * A's provider. A token whose tenant differs from the {@code x-tenant-id} metadata is refused on
 * every RPC. A's credentials and the calls it parked carry the canary; this hub's events go to the
 * shared Kafka broker on a topic of its own, which the final hygiene scan reads.
 */
@Tag("hub")
class GrpcTenantIsolationTest {
    private static final String A = "grpc-tenant-a";
    private static final String B = "grpc-tenant-b";
    private static final String KAFKA = "127.0.0.1:9092";
    private static final String TOPIC =
            "hub-test-events-grpc-isolation-" + UUID.randomUUID().toString().substring(0, 8);
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static WireMockServer upstreamA;
    private static WireMockServer upstreamB;
    private static TestHub hub;
    private static GrpcClient client;
    private static Provider providerA;
    private static String entryA;
    private static String parkedKeyA;
    private static String batchA;

    @BeforeAll
    static void start() throws Exception {
        upstreamA = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstreamB = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstreamA.start();
        upstreamB.start();
        upstreamA.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        upstreamB.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        hub = TestHub.start(
                Map.of("INTEGRATION_KAFKA_BOOTSTRAP", KAFKA, "INTEGRATION_KAFKA_TOPIC", TOPIC),
                new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()));
        client = new GrpcClient(hub.hub().grpcPort());

        providerA = stub(A).createProvider(CreateProviderRequest.newBuilder()
                .setProvider(provider(
                        "secret-psp",
                        upstreamA.port(),
                        Auth.newBuilder()
                                .setType("api_key")
                                .setIn("header")
                                .setName("X-Api-Key")
                                .putCredentials("apiKey", Canary.SECRET)))
                .build());
        entryA = park(A, "secret-psp", "a-key-1");
        parkedKeyA = "a-key-1";
        park(A, "secret-psp", "a-key-2");
        CLOCK.advance(Duration.ofSeconds(1));
        String batched = park(A, "secret-psp", "a-key-3");
        DeadLetter third = stub(A).getDeadLetter(
                        GetDeadLetterRequest.newBuilder().setId(batched).build());
        RetryAllBatch batch = stub(A).retryAllDeadLetters(RetryAllDeadLettersRequest.newBuilder()
                .setFilter(DeadLetterFilter.newBuilder().setCreatedFrom(third.getCreatedAt()))
                .build());
        assertThat(batch.getQueued()).isEqualTo(1);
        batchA = batch.getBatchId();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stub(A).getRetryAllProgress(GetRetryAllProgressRequest.newBuilder()
                                .setBatchId(batchA)
                                .build())
                        .getDone());

        stub(B).createProvider(CreateProviderRequest.newBuilder()
                .setProvider(
                        provider("b-own", upstreamB.port(), Auth.newBuilder().setType("none")))
                .build());
        park(B, "b-own", "b-key-1");
        upstreamA.resetRequests();
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0);
            client.close();
            hub.close(); // reads the topic into the canary journal
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
        }
        upstreamA.stop();
        upstreamB.stop();
    }

    private static IntegrationHubServiceBlockingStub stub(String tenant) {
        return client.stub(hub.adminToken(tenant));
    }

    private static Provider.Builder provider(String name, int port, Auth.Builder auth) {
        return Provider.newBuilder()
                .setName(name)
                .setType("payment")
                .setBaseUrl("http://127.0.0.1:" + port)
                .setAuth(auth)
                .setConfig(ProviderConfig.newBuilder()
                        .setAllowPrivateNetwork(true)
                        .setRetry(Retry.newBuilder().setMaxAttempts(1))
                        .setCircuitBreaker(CircuitBreaker.newBuilder().setFailureThreshold(1000)));
    }

    /** A call the provider fails, parked in the DLQ with the canary in its headers, query and body; its entry id. */
    private static String park(String tenant, String provider, String key) {
        HeaderValues canary = HeaderValues.newBuilder().addValues(Canary.SECRET).build();
        try {
            stub(tenant)
                    .call(CallRequest.newBuilder()
                            .setProvider(provider)
                            .setMethod("POST")
                            .setPath("/charges")
                            .setRawQuery("access_token=" + Canary.SECRET + "&n=1")
                            .putHeaders("X-Auth-Token", canary)
                            .putHeaders("X-Api-Key", canary)
                            .setBody(ByteString.copyFromUtf8("{\"card\":\"" + Canary.SECRET + "\"}"))
                            .setContentType("application/json")
                            .setIdempotencyKey(key)
                            .build());
            throw new AssertionError("the call should have been parked");
        } catch (StatusRuntimeException e) {
            GrpcClient.Failure parked = GrpcClient.Failure.of(e);
            assertThat(parked.problem().getType()).isEqualTo("upstream-failed");
            return parked.problem().getExtensionsOrThrow("dlqEntryId");
        }
    }

    // ---------------------------------------------------------------- the cases

    /** One way for B to reach for one of A's resources. */
    private sealed interface Case permits SameAsMissing, OnlyOwn {
        MethodDescriptor<?, ?> rpc();

        String what();

        /** The request naming A's resource. */
        Message foreignRequest();
    }

    /** B's answer for A's resource ({@code foreign}) must be its answer for {@code unknown}, references swapped. */
    private record SameAsMissing(
            MethodDescriptor<?, ?> rpc,
            String what,
            Function<String, Message> request,
            String foreign,
            String unknown,
            UnaryOperator<Message> normalize)
            implements Case {
        SameAsMissing(
                MethodDescriptor<?, ?> rpc,
                String what,
                Function<String, Message> request,
                String foreign,
                String unknown) {
            this(rpc, what, request, foreign, unknown, UnaryOperator.identity());
        }

        @Override
        public Message foreignRequest() {
            return request.apply(foreign);
        }
    }

    /** A listing or bulk action of B: it must cover B's own resources only. */
    private record OnlyOwn(MethodDescriptor<?, ?> rpc, String what, Message foreignRequest, Consumer<Message> check)
            implements Case {}

    private static List<Case> cases() {
        String id = providerA.getId();
        String name = providerA.getName();
        String unknownId = Ids.newId();
        String unknownName = "no-such-provider";
        String unknownEntry = Ids.newId();
        FieldMask status = FieldMask.newBuilder().addPaths("status").build();
        Provider disable = Provider.newBuilder().setStatus("disabled").build();
        return List.of(
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetProviderMethod(),
                        "by id",
                        ref -> GetProviderRequest.newBuilder().setId(ref).build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetProviderMethod(),
                        "by name",
                        ref -> GetProviderRequest.newBuilder().setId(ref).build(),
                        name,
                        unknownName),
                new OnlyOwn(
                        IntegrationHubServiceGrpc.getListProvidersMethod(),
                        "every page",
                        ListProvidersRequest.getDefaultInstance(),
                        answer -> assertThat(((ListProvidersResponse) answer).getItemsList())
                                .extracting(Provider::getName)
                                .containsExactly("b-own")),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getUpdateProviderMethod(),
                        "by id",
                        ref -> UpdateProviderRequest.newBuilder()
                                .setId(ref)
                                .setProvider(disable)
                                .setUpdateMask(status)
                                .build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getUpdateProviderMethod(),
                        "by name",
                        ref -> UpdateProviderRequest.newBuilder()
                                .setId(ref)
                                .setProvider(disable)
                                .setUpdateMask(status)
                                .build(),
                        name,
                        unknownName),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getUpdateProviderMethod(),
                        "by id at its version",
                        ref -> UpdateProviderRequest.newBuilder()
                                .setId(ref)
                                .setProvider(disable)
                                .setUpdateMask(status)
                                .setExpectedVersion(providerA.getVersion())
                                .build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getDeleteProviderMethod(),
                        "by id",
                        ref -> DeleteProviderRequest.newBuilder().setId(ref).build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getDeleteProviderMethod(),
                        "by name",
                        ref -> DeleteProviderRequest.newBuilder().setId(ref).build(),
                        name,
                        unknownName),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getDeleteProviderMethod(),
                        "by id at its version",
                        ref -> DeleteProviderRequest.newBuilder()
                                .setId(ref)
                                .setExpectedVersion(providerA.getVersion())
                                .build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetProviderHealthMethod(),
                        "by id",
                        ref -> GetProviderHealthRequest.newBuilder().setId(ref).build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetProviderHealthMethod(),
                        "by name",
                        ref -> GetProviderHealthRequest.newBuilder().setId(ref).build(),
                        name,
                        unknownName),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getCallMethod(),
                        "provider_id",
                        ref -> CallRequest.newBuilder()
                                .setProviderId(ref)
                                .setMethod("GET")
                                .setPath("/ok")
                                .build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getCallMethod(),
                        "provider name",
                        ref -> CallRequest.newBuilder()
                                .setProvider(ref)
                                .setMethod("GET")
                                .setPath("/ok")
                                .build(),
                        name,
                        unknownName),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getCallMethod(),
                        "provider name and the key of A's parked call",
                        ref -> CallRequest.newBuilder()
                                .setProvider(ref)
                                .setMethod("POST")
                                .setPath("/charges")
                                .setIdempotencyKey(parkedKeyA)
                                .build(),
                        name,
                        unknownName),
                new OnlyOwn(
                        IntegrationHubServiceGrpc.getListDeadLettersMethod(),
                        "unfiltered",
                        ListDeadLettersRequest.getDefaultInstance(),
                        answer -> assertThat(((ListDeadLettersResponse) answer).getItemsList())
                                .extracting(DeadLetter::getIdempotencyKey)
                                .containsExactly("b-key-1")),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getListDeadLettersMethod(),
                        "filtered by provider id",
                        ref -> ListDeadLettersRequest.newBuilder()
                                .setFilter(DeadLetterFilter.newBuilder().setProvider(ref))
                                .build(),
                        id,
                        unknownId),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getListDeadLettersMethod(),
                        "filtered by provider name",
                        ref -> ListDeadLettersRequest.newBuilder()
                                .setFilter(DeadLetterFilter.newBuilder().setProvider(ref))
                                .build(),
                        name,
                        unknownName),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetDeadLetterMethod(),
                        "by id",
                        ref -> GetDeadLetterRequest.newBuilder().setId(ref).build(),
                        entryA,
                        unknownEntry),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetDeadLetterMethod(),
                        "with its body",
                        ref -> GetDeadLetterRequest.newBuilder()
                                .setId(ref)
                                .setIncludeBody(true)
                                .build(),
                        entryA,
                        unknownEntry),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getRetryDeadLetterMethod(),
                        "by id",
                        ref -> RetryDeadLetterRequest.newBuilder().setId(ref).build(),
                        entryA,
                        unknownEntry),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getRetryAllDeadLettersMethod(),
                        "filtered by provider id",
                        ref -> RetryAllDeadLettersRequest.newBuilder()
                                .setFilter(DeadLetterFilter.newBuilder().setProvider(ref))
                                .build(),
                        id,
                        unknownId,
                        GrpcTenantIsolationTest::withoutBatchIdentity),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getRetryAllDeadLettersMethod(),
                        "filtered by provider id and status",
                        ref -> RetryAllDeadLettersRequest.newBuilder()
                                .setFilter(DeadLetterFilter.newBuilder()
                                        .setProvider(ref)
                                        .addStatus("pending")
                                        .addStatus("failed"))
                                .build(),
                        id,
                        unknownId,
                        GrpcTenantIsolationTest::withoutBatchIdentity),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getRetryAllDeadLettersMethod(),
                        "filtered by provider name",
                        ref -> RetryAllDeadLettersRequest.newBuilder()
                                .setFilter(DeadLetterFilter.newBuilder().setProvider(ref))
                                .build(),
                        name,
                        unknownName),
                new OnlyOwn(
                        IntegrationHubServiceGrpc.getRetryAllDeadLettersMethod(),
                        "unfiltered",
                        RetryAllDeadLettersRequest.getDefaultInstance(),
                        answer -> assertThat(((RetryAllBatch) answer).getQueued())
                                .as("B's own entry only")
                                .isEqualTo(1)),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getGetRetryAllProgressMethod(),
                        "of A's batch",
                        ref -> GetRetryAllProgressRequest.newBuilder()
                                .setBatchId(ref)
                                .build(),
                        batchA,
                        Ids.newId()),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getDeleteDeadLetterMethod(),
                        "by id",
                        ref -> DeleteDeadLetterRequest.newBuilder().setId(ref).build(),
                        entryA,
                        unknownEntry),
                // Last: B then has providers of its own with these names (deleted again at the end).
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getCreateProviderMethod(),
                        "named like A's provider",
                        ref -> CreateProviderRequest.newBuilder()
                                .setProvider(provider(
                                        ref, upstreamB.port(), Auth.newBuilder().setType("none")))
                                .build(),
                        name,
                        "never-used-name",
                        GrpcTenantIsolationTest::withoutProviderIdentity),
                new SameAsMissing(
                        IntegrationHubServiceGrpc.getCreateProviderMethod(),
                        "in A's tenant",
                        ref -> CreateProviderRequest.newBuilder()
                                .setProvider(provider(
                                                "tenant-probe",
                                                upstreamB.port(),
                                                Auth.newBuilder().setType("none"))
                                        .setTenantId(ref))
                                .build(),
                        A,
                        "tenant-nobody"));
    }

    private static Message withoutBatchIdentity(Message answer) {
        return ((RetryAllBatch) answer)
                .toBuilder().clearBatchId().clearCreatedAt().clearStatusUrl().build();
    }

    private static Message withoutProviderIdentity(Message answer) {
        return ((Provider) answer)
                .toBuilder().clearId().clearCreatedAt().clearUpdatedAt().build();
    }

    /** Ways to send a token and {@code x-tenant-id} metadata that disagree. */
    private static Map<String, Metadata> mismatches() {
        return Map.of(
                "B's token naming A", metadata(hub.adminToken(B), A),
                "A's token naming B", metadata(hub.adminToken(A), B),
                "B's token naming B then A", metadata(hub.adminToken(B), B, A),
                "B's token naming A then B", metadata(hub.adminToken(B), A, B));
    }

    private static Metadata metadata(String token, String... tenants) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        for (String tenant : tenants) {
            metadata.put(Metadata.Key.of("x-tenant-id", Metadata.ASCII_STRING_MARSHALLER), tenant);
        }
        return metadata;
    }

    /** Providers B created in a case (A's provider name among them) go again, so no case sees another's. */
    @AfterEach
    void deleteWhatBCreated() {
        for (Provider own :
                stub(B).listProviders(ListProvidersRequest.getDefaultInstance()).getItemsList()) {
            if (!own.getName().equals("b-own")) {
                stub(B).deleteProvider(DeleteProviderRequest.newBuilder()
                        .setId(own.getId())
                        .build());
            }
        }
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void everyRpcOfTheServiceHasIsolationCases() {
        ServiceDescriptor service = IntegrationHubServiceGrpc.getServiceDescriptor();
        Set<String> rpcs = service.getMethods().stream()
                .map(MethodDescriptor::getFullMethodName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> proto = io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceProto.getDescriptor()
                .findServiceByName("IntegrationHubService")
                .getMethods()
                .stream()
                .map(m -> "platform.integration_hub.v1.IntegrationHubService/" + m.getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(rpcs)
                .as("the service descriptor and the proto agree")
                .isEqualTo(proto)
                .hasSize(13);

        List<Case> cases = cases();
        Set<String> covered =
                cases.stream().map(c -> c.rpc().getFullMethodName()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered)
                .as("RPCs without a tenant isolation case (add one to cases())")
                .containsExactlyElementsOf(rpcs);
        int total = cases.size() + rpcs.size() * mismatches().size();
        SuiteCounts.print(
                "tenant isolation",
                "gRPC: " + rpcs.size() + " RPCs x " + total + " cases (" + cases.size() + " on tenant A's resources, "
                        + rpcs.size() * mismatches().size() + " token/metadata tenant mismatches)");
    }

    @Test
    void anotherTenantReachingForAResourceGetsTheAnswerForOneThatDoesNotExistAndChangesNothing() throws Exception {
        List<String> before = stateOfA();
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            String label = c.rpc().getBareMethodName() + " " + c.what();
            try {
                switch (c) {
                    case SameAsMissing same -> {
                        String foreign = outcome(
                                        stub(B), same.rpc(), same.request().apply(same.foreign()), same.normalize())
                                .replace(same.foreign(), "{ref}");
                        String missing = outcome(
                                        stub(B), same.rpc(), same.request().apply(same.unknown()), same.normalize())
                                .replace(same.unknown(), "{ref}");
                        assertThat(foreign).as(label).isEqualTo(missing);
                    }
                    case OnlyOwn own -> {
                        Message answer = invoke(stub(B), own.rpc(), own.foreignRequest());
                        own.check().accept(answer);
                        assertThat(print(answer))
                                .as(label)
                                .doesNotContain(providerA.getId())
                                .doesNotContain(entryA)
                                .doesNotContain("secret-psp")
                                .doesNotContain(batchA);
                    }
                }
            } catch (AssertionError | StatusRuntimeException e) {
                failures.add(label + ": " + e.getMessage());
            }
        }
        assertThat(failures)
                .as("cases where B learnt or reached something of A's")
                .isEmpty();
        assertThat(stateOfA())
                .as("A's providers, dead letters, batches, retry requests, idempotency records and events")
                .isEqualTo(before);
        assertThat(upstreamA.getAllServeEvents())
                .as("requests that reached A's provider")
                .isEmpty();
    }

    @Test
    void aTokenWhoseTenantDiffersFromTheTenantMetadataIsRefusedOnEveryRpc() throws Exception {
        List<String> before = stateOfA();
        Map<String, Case> firstCaseByRpc = new java.util.LinkedHashMap<>();
        cases().forEach(c -> firstCaseByRpc.putIfAbsent(c.rpc().getFullMethodName(), c));
        List<String> failures = new ArrayList<>();
        for (Case c : firstCaseByRpc.values()) {
            mismatches().forEach((how, metadata) -> {
                String outcome = outcome(client.stub(metadata), c.rpc(), c.foreignRequest(), UnaryOperator.identity());
                if (!outcome.startsWith("PERMISSION_DENIED ") || !outcome.contains("\"type\": \"tenant-mismatch\"")) {
                    failures.add(c.rpc().getBareMethodName() + " with " + how + ": "
                            + outcome.lines().findFirst().orElse(""));
                }
            });
        }
        assertThat(failures)
                .as("RPCs served although the token and x-tenant-id disagree")
                .isEmpty();
        assertThat(stateOfA()).isEqualTo(before);
        assertThat(upstreamA.getAllServeEvents()).isEmpty();
    }

    // ---------------------------------------------------------------- plumbing

    @SuppressWarnings("unchecked")
    private static Message invoke(IntegrationHubServiceBlockingStub stub, MethodDescriptor<?, ?> rpc, Message request) {
        return ClientCalls.blockingUnaryCall(
                stub.getChannel(), (MethodDescriptor<Message, Message>) rpc, stub.getCallOptions(), request);
    }

    /** What the RPC answered, as text: the message (normalized), or the status with its details and trailers. */
    private static String outcome(
            IntegrationHubServiceBlockingStub stub,
            MethodDescriptor<?, ?> rpc,
            Message request,
            UnaryOperator<Message> normalize) {
        try {
            return "OK " + print(normalize.apply(invoke(stub, rpc, request)));
        } catch (StatusRuntimeException e) {
            GrpcClient.Failure failure = GrpcClient.Failure.of(e);
            Set<String> trailers = new TreeSet<>();
            for (String key : failure.trailers().keys()) {
                trailers.add(key.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? key : key + "=" + failure.trailer(key));
            }
            return failure.code() + " " + failure.message() + "\n" + print(failure.info()) + "\n"
                    + print(failure.problem()) + "\n"
                    + failure.badRequest().map(GrpcTenantIsolationTest::print).orElse("") + "\n" + trailers;
        }
    }

    private static String print(MessageOrBuilder message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything stored about tenant A, row by row (outbox rows by event, their relaying aside). */
    private static List<String> stateOfA() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement("""
                WITH a AS (SELECT CAST(? AS text) AS tenant)
                SELECT 'provider ' || row_to_json(p)::text FROM providers p, a WHERE p.tenant_id = a.tenant
                UNION ALL SELECT 'dlq ' || row_to_json(d)::text FROM dlq_entries d, a WHERE d.tenant_id = a.tenant
                UNION ALL SELECT 'batch ' || row_to_json(b)::text FROM dlq_retry_batches b, a WHERE b.tenant_id = a.tenant
                UNION ALL SELECT 'retry ' || row_to_json(r)::text FROM dlq_retry_requests r, a WHERE r.tenant_id = a.tenant
                UNION ALL SELECT 'idempotency ' || row_to_json(i)::text FROM idempotency_records i, a WHERE i.tenant_id = a.tenant
                UNION ALL SELECT 'event ' || o.event_id || ' ' || o.type || ' ' || o.payload::text FROM outbox o
                           WHERE o.aggregate_key IN (SELECT id FROM providers, a WHERE tenant_id = a.tenant)
                ORDER BY 1""")) {
            q.setString(1, A);
            try (ResultSet row = q.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1));
                }
            }
        }
        assertThat(rows).filteredOn(r -> r.startsWith("dlq ")).hasSize(3);
        return rows;
    }

    private static long count(String sql) throws Exception {
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement(sql);
                ResultSet row = q.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
