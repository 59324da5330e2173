package io.integrationhub.dataplane.grpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.dataplane.grpc.v1.Auth;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import io.integrationhub.dataplane.grpc.v1.CallResponse;
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
import io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceGrpc.IntegrationHubServiceBlockingStub;
import io.integrationhub.dataplane.grpc.v1.ListDeadLettersRequest;
import io.integrationhub.dataplane.grpc.v1.ListDeadLettersResponse;
import io.integrationhub.dataplane.grpc.v1.ListProvidersRequest;
import io.integrationhub.dataplane.grpc.v1.ListProvidersResponse;
import io.integrationhub.dataplane.grpc.v1.Provider;
import io.integrationhub.dataplane.grpc.v1.ProviderConfig;
import io.integrationhub.dataplane.grpc.v1.ProviderHealth;
import io.integrationhub.dataplane.grpc.v1.Retry;
import io.integrationhub.dataplane.grpc.v1.RetryAllBatch;
import io.integrationhub.dataplane.grpc.v1.RetryAllDeadLettersRequest;
import io.integrationhub.dataplane.grpc.v1.RetryAllProgress;
import io.integrationhub.dataplane.grpc.v1.RetryDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.UpdateProviderRequest;
import io.integrationhub.testkit.Canary;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gRPC API with a real grpc-java client against a real hub (own gRPC port, real Postgres,
 * WireMock as the provider): every operation, and the error mapping of the REST problems.
 */
@Tag("hub")
class GrpcApiTest {
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static WireMockServer upstream;
    private static TestHub hub;
    private static GrpcClient client;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(any(urlPathMatching("/ok/.*"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Request-Id", "req_7")
                        .withBody("{\"id\":\"ch_1\"}")));
        upstream.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(500)));
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()));
        assertThat(hub.hub().grpcPort()).isPositive().isNotEqualTo(hub.hub().port());
        client = new GrpcClient(hub.hub().grpcPort());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        hub.close();
        upstream.stop();
    }

    private static IntegrationHubServiceBlockingStub admin(String tenant) {
        return client.stub(hub.adminToken(tenant));
    }

    private static Provider local(String name, String auth, int failureThreshold, int maxAttempts) {
        Provider.Builder provider = Provider.newBuilder()
                .setName(name)
                .setType("custom")
                .setBaseUrl("http://127.0.0.1:" + upstream.port())
                .setConfig(ProviderConfig.newBuilder()
                        .setAllowPrivateNetwork(true)
                        .setRetry(Retry.newBuilder().setMaxAttempts(maxAttempts))
                        .setCircuitBreaker(CircuitBreaker.newBuilder().setFailureThreshold(failureThreshold)));
        if (auth.equals("api_key")) {
            provider.setAuth(Auth.newBuilder()
                    .setType("api_key")
                    .setIn("header")
                    .setName("X-Api-Key")
                    .putCredentials("apiKey", Canary.SECRET));
        } else {
            provider.setAuth(Auth.newBuilder().setType("none"));
        }
        return provider.build();
    }

    private static GrpcClient.Failure failure(Supplier<?> call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::get);
        assertThat(e).as("the call should fail").isNotNull();
        GrpcClient.Failure failure = GrpcClient.Failure.of(e);
        assertThat(failure.info().getDomain()).isEqualTo(GrpcErrors.DOMAIN);
        assertThat(failure.info().getMetadataOrThrow("type"))
                .isEqualTo(failure.problem().getType());
        return failure;
    }

    @Test
    void providersAreCreatedReadListedUpdatedCheckedAndDeletedWithCredentialsNeverShown() {
        IntegrationHubServiceBlockingStub stub = admin("grpc-crud");
        Provider created = stub.createProvider(CreateProviderRequest.newBuilder()
                .setProvider(local("payments", "api_key", 5, 3))
                .build());
        assertThat(created.getId()).matches("[0-9a-z]{26}");
        assertThat(created.getTenantId()).isEqualTo("grpc-crud");
        assertThat(created.getManagedBy()).isEqualTo("api");
        assertThat(created.getVersion()).isEqualTo(1);
        assertThat(created.getAuth().getCredentialsMap()).containsExactly(Map.entry("apiKey", "***"));
        assertThat(created.getConfig().getRetry().getMaxAttempts()).isEqualTo(3);
        assertThat(created.getConfig().getTimeoutMs()).as("defaults filled in").isEqualTo(10_000);
        assertThat(created.hasCreatedAt()).isTrue();
        stub.createProvider(CreateProviderRequest.newBuilder()
                .setProvider(local("sms", "none", 5, 1))
                .build());

        assertThat(stub.getProvider(
                        GetProviderRequest.newBuilder().setId("payments").build()))
                .isEqualTo(created);
        assertThat(stub.getProvider(
                        GetProviderRequest.newBuilder().setId(created.getId()).build()))
                .isEqualTo(created);

        ListProvidersResponse first = stub.listProviders(
                ListProvidersRequest.newBuilder().setPageSize(1).build());
        assertThat(first.getItemsList()).hasSize(1);
        assertThat(first.getNextPageToken()).isNotEmpty();
        ListProvidersResponse second = stub.listProviders(ListProvidersRequest.newBuilder()
                .setPageSize(1)
                .setPageToken(first.getNextPageToken())
                .build());
        assertThat(second.getItemsList())
                .extracting(Provider::getName)
                .doesNotContainAnyElementsOf(
                        first.getItemsList().stream().map(Provider::getName).toList());
        assertThat(stub.listProviders(ListProvidersRequest.getDefaultInstance()).getItemsList())
                .extracting(Provider::getName)
                .containsExactlyInAnyOrder("payments", "sms");

        Provider updated = stub.updateProvider(UpdateProviderRequest.newBuilder()
                .setId("payments")
                .setProvider(Provider.newBuilder()
                        .setStatus("disabled")
                        .setConfig(ProviderConfig.newBuilder()
                                .setRetry(Retry.newBuilder().setMaxAttempts(4))))
                .setUpdateMask(FieldMask.newBuilder().addPaths("status").addPaths("config.retry.max_attempts"))
                .setExpectedVersion(1)
                .build());
        assertThat(updated.getStatus()).isEqualTo("disabled");
        assertThat(updated.getConfig().getRetry().getMaxAttempts()).isEqualTo(4);
        assertThat(updated.getConfig().getCircuitBreaker().getFailureThreshold())
                .as("unmasked fields kept")
                .isEqualTo(5);
        assertThat(updated.getAuth().getCredentialsMap())
                .as("credentials kept")
                .containsExactly(Map.entry("apiKey", "***"));
        assertThat(updated.getVersion()).isEqualTo(2);

        Provider reset = stub.updateProvider(UpdateProviderRequest.newBuilder()
                .setId("payments")
                .setProvider(Provider.getDefaultInstance())
                .setUpdateMask(FieldMask.newBuilder().addPaths("config.retry"))
                .build());
        assertThat(reset.getConfig().getRetry().getMaxAttempts())
                .as("a masked, unset field is reset to its default")
                .isEqualTo(5);

        GrpcClient.Failure stale = failure(() -> stub.deleteProvider(DeleteProviderRequest.newBuilder()
                .setId("payments")
                .setExpectedVersion(1)
                .build()));
        assertThat(stale.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(stale.problem().getType()).isEqualTo("precondition-failed");

        ProviderHealth health = stub.getProviderHealth(
                GetProviderHealthRequest.newBuilder().setId("sms").build());
        assertThat(health.getName()).isEqualTo("sms");
        assertThat(health.getBreaker().getState()).isEqualTo("closed");
        assertThat(health.getLimiter().getLimitPerSec()).isEqualTo(100);
        assertThat(health.getRecent().getWindow()).isEqualTo("PT5M");
        assertThat(health.getUsage().getScope()).isEqualTo("instance");
        assertThat(health.getUsage().getByClassMap()).containsOnlyKeys("critical", "default", "batch");

        stub.deleteProvider(DeleteProviderRequest.newBuilder()
                .setId("payments")
                .setExpectedVersion(reset.getVersion())
                .build());
        GrpcClient.Failure gone = failure(() -> stub.getProvider(
                GetProviderRequest.newBuilder().setId("payments").build()));
        assertThat(gone.code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(gone.info().getReason()).isEqualTo("PROVIDER_NOT_FOUND");
    }

    @Test
    void aMissingOrInvalidTokenIsUnauthenticatedAndAMissingScopeIsPermissionDenied() {
        GrpcClient.Failure none =
                failure(() -> client.stub(Map.of()).listProviders(ListProvidersRequest.getDefaultInstance()));
        assertThat(none.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(none.problem().getType()).isEqualTo("unauthorized");
        assertThat(none.problem().getStatus()).isEqualTo(401);

        GrpcClient.Failure forged =
                failure(() -> client.stub("not.a.jwt").listProviders(ListProvidersRequest.getDefaultInstance()));
        assertThat(forged.code()).isEqualTo(Status.Code.UNAUTHENTICATED);

        GrpcClient.Failure basic = failure(() -> client.stub(Map.of("authorization", "Basic dXNlcjpwdw=="))
                .call(CallRequest.newBuilder()
                        .setProvider("x")
                        .setMethod("GET")
                        .setPath("/")
                        .build()));
        assertThat(basic.code()).isEqualTo(Status.Code.UNAUTHENTICATED);

        GrpcClient.Failure scope = failure(() -> client.stub(hub.token("grpc-auth", Scope.PROVIDERS_READ))
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("nope", "none", 5, 1))
                        .build()));
        assertThat(scope.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(scope.problem().getType()).isEqualTo("forbidden");

        GrpcClient.Failure dlqScope = failure(() -> client.stub(hub.token("grpc-auth", Scope.CALL))
                .listDeadLetters(ListDeadLettersRequest.getDefaultInstance()));
        assertThat(dlqScope.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void anotherTenantsProviderIsNotFoundAndAForeignTenantHeaderIsRefused() {
        Provider mine = admin("grpc-owner")
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("private", "api_key", 5, 1))
                        .build());
        IntegrationHubServiceBlockingStub intruder = admin("grpc-intruder");

        GrpcClient.Failure byId = failure(() -> intruder.getProvider(
                GetProviderRequest.newBuilder().setId(mine.getId()).build()));
        assertThat(byId.code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(failure(() -> intruder.getProviderHealth(GetProviderHealthRequest.newBuilder()
                                .setId(mine.getId())
                                .build()))
                        .code())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(failure(() -> intruder.deleteProvider(DeleteProviderRequest.newBuilder()
                                .setId(mine.getId())
                                .build()))
                        .code())
                .isEqualTo(Status.Code.NOT_FOUND);
        GrpcClient.Failure call = failure(() -> intruder.call(CallRequest.newBuilder()
                .setProviderId(mine.getId())
                .setMethod("GET")
                .setPath("/ok/1")
                .build()));
        assertThat(call.code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(call.problem().getType()).isEqualTo("provider-not-found");
        assertThat(intruder.listProviders(ListProvidersRequest.getDefaultInstance())
                        .getItemsList())
                .isEmpty();

        GrpcClient.Failure header = failure(() -> client.stub(Map.of(
                        "authorization", "Bearer " + hub.adminToken("grpc-intruder"), "x-tenant-id", "grpc-owner"))
                .getProvider(GetProviderRequest.newBuilder().setId(mine.getId()).build()));
        assertThat(header.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(header.problem().getType()).isEqualTo("tenant-mismatch");
        assertThat(upstream.findAll(anyRequestedFor(urlPathEqualTo("/ok/1")))).isEmpty();
    }

    @Test
    void invalidInputIsInvalidArgumentNamingEveryField() {
        Provider bad = Provider.newBuilder()
                .setName("Not A Label")
                .setType("telepathy")
                .setBaseUrl("ftp://x")
                .setAuth(Auth.newBuilder().setType("none"))
                .setConfig(ProviderConfig.newBuilder()
                        .setTimeoutMs(99_999)
                        .setRetry(Retry.newBuilder().setMaxAttempts(0)))
                .build();
        GrpcClient.Failure invalid = failure(() -> admin("grpc-valid")
                .createProvider(
                        CreateProviderRequest.newBuilder().setProvider(bad).build()));
        assertThat(invalid.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.problem().getType()).isEqualTo("validation");
        assertThat(invalid.problem().getStatus()).isEqualTo(422);
        assertThat(invalid.badRequest().orElseThrow().getFieldViolationsList())
                .extracting(v -> v.getField())
                .contains("name", "type", "baseUrl", "config.timeoutMs", "config.retry.maxAttempts");
        assertThat(invalid.problem().getErrorsList())
                .extracting(e -> e.getField())
                .containsExactlyElementsOf(invalid.badRequest().orElseThrow().getFieldViolationsList().stream()
                        .map(v -> v.getField())
                        .toList());

        GrpcClient.Failure readOnly = failure(() -> admin("grpc-valid")
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("ro", "none", 5, 1).toBuilder().setId("01j00000000000000000000000"))
                        .build()));
        assertThat(readOnly.badRequest().orElseThrow().getFieldViolationsList())
                .extracting(v -> v.getField())
                .containsExactly("id");

        GrpcClient.Failure mask = failure(() -> admin("grpc-valid")
                .updateProvider(UpdateProviderRequest.newBuilder()
                        .setId("x")
                        .setUpdateMask(FieldMask.newBuilder().addPaths("no_such_field"))
                        .build()));
        assertThat(mask.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        GrpcClient.Failure method = failure(() -> admin("grpc-valid")
                .call(CallRequest.newBuilder()
                        .setProvider("x")
                        .setMethod("BREW")
                        .setPath("/")
                        .build()));
        assertThat(method.code())
                .as("validation before the provider lookup or after: either way the caller's error")
                .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
        GrpcClient.Failure noProvider = failure(() -> admin("grpc-valid")
                .call(CallRequest.newBuilder().setMethod("GET").setPath("/").build()));
        assertThat(noProvider.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(noProvider.badRequest().orElseThrow().getFieldViolations(0).getField())
                .isEqualTo("provider");
    }

    @Test
    void aCallReturnsTheProvidersAnswerWithInjectedAuthTheCallersTraceAndReplaysByIdempotencyKey() {
        admin("grpc-call")
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("psp", "api_key", 5, 2))
                        .build());
        IntegrationHubServiceBlockingStub caller = client.stub(Map.of(
                "authorization",
                "Bearer " + hub.token("grpc-call", Scope.CALL),
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        CallRequest request = CallRequest.newBuilder()
                .setProvider("psp")
                .setMethod("post")
                .setPath("/ok/charges")
                .setRawQuery("expand=a&x=b%20c")
                .putHeaders(
                        "X-Custom", HeaderValues.newBuilder().addValues("kept").build())
                .putHeaders(
                        "X-Api-Key",
                        HeaderValues.newBuilder().addValues("forged").build())
                .setBody(ByteString.copyFromUtf8("amount=100"))
                .setContentType("application/x-www-form-urlencoded")
                .setIdempotencyKey("grpc-key-1")
                .build();

        CallResponse answer = caller.call(request);
        assertThat(answer.getStatus()).isEqualTo(201);
        assertThat(answer.getBody().toStringUtf8()).isEqualTo("{\"id\":\"ch_1\"}");
        assertThat(answer.getAttempts()).isEqualTo(1);
        assertThat(answer.getReplayed()).isFalse();
        assertThat(answer.getIdempotencyKey()).isEqualTo("grpc-key-1");
        assertThat(answer.getHeadersMap())
                .hasEntrySatisfying(
                        "Request-Id", v -> assertThat(v.getValuesList()).containsExactly("req_7"));
        LoggedRequest sent =
                upstream.findAll(anyRequestedFor(urlPathEqualTo("/ok/charges"))).get(0);
        assertThat(sent.getUrl()).isEqualTo("/ok/charges?expand=a&x=b%20c");
        assertThat(sent.getHeader("X-Api-Key")).isEqualTo(Canary.SECRET);
        assertThat(sent.getHeader("X-Custom")).isEqualTo("kept");
        assertThat(sent.getHeader("Idempotency-Key")).isEqualTo("grpc-key-1");
        assertThat(sent.getHeader("traceparent"))
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
                .doesNotContain("00f067aa0ba902b7");
        assertThat(sent.getBodyAsString()).isEqualTo("amount=100");

        CallResponse replay = caller.call(request);
        assertThat(replay.getReplayed()).isTrue();
        assertThat(replay.getAttempts()).isZero();
        assertThat(replay.getBody()).isEqualTo(answer.getBody());
        assertThat(upstream.findAll(anyRequestedFor(urlPathEqualTo("/ok/charges"))))
                .hasSize(1);

        GrpcClient.Failure mismatch = failure(
                () -> caller.call(request.toBuilder().setPath("/ok/other").build()));
        assertThat(mismatch.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(mismatch.problem().getType()).isEqualTo("idempotency-mismatch");
    }

    @Test
    void anExhaustedCallIsParkedAndThenTheOpenCircuitIsUnavailableWithoutAnUpstreamCall() {
        admin("grpc-breaker")
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("flaky", "none", 1, 1))
                        .build());
        IntegrationHubServiceBlockingStub caller = client.stub(hub.token("grpc-breaker", Scope.CALL));
        CallRequest request = CallRequest.newBuilder()
                .setProvider("flaky")
                .setMethod("GET")
                .setPath("/fail/breaker")
                .build();

        GrpcClient.Failure parked = failure(() -> caller.call(request));
        assertThat(parked.code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(parked.problem().getType()).isEqualTo("upstream-failed");
        assertThat(parked.problem().getStatus()).isEqualTo(502);
        assertThat(parked.problem().getExtensionsMap())
                .containsKey("dlqEntryId")
                .containsEntry("attempts", "1");
        assertThat(parked.trailer("x-integration-attempts")).isEqualTo("1");

        GrpcClient.Failure open = failure(() -> caller.call(request));
        assertThat(open.code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(open.info().getReason()).isEqualTo("CIRCUIT_OPEN");
        assertThat(open.trailer("x-circuit-breaker-open")).isEqualTo("true");
        assertThat(Durations.toSeconds(open.retry().orElseThrow().getRetryDelay()))
                .isBetween(1L, 60L);
        assertThat(upstream.findAll(anyRequestedFor(urlPathEqualTo("/fail/breaker"))))
                .hasSize(1);
    }

    @Test
    void timeoutMsAndTheClientsOwnDeadlineBoundTheWholeCall() {
        upstream.stubFor(any(urlPathMatching("/slow/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        String id = admin("grpc-deadline")
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("sluggish", "none", 1000, 1))
                        .build())
                .getId();
        IntegrationHubServiceBlockingStub caller = client.stub(hub.token("grpc-deadline", Scope.CALL));

        GrpcClient.Failure expired = failure(() -> caller.call(CallRequest.newBuilder()
                .setProvider("sluggish")
                .setMethod("GET")
                .setPath("/slow/field")
                .setTimeoutMs(200)
                .build()));
        assertThat(expired.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(expired.problem().getType()).isEqualTo("deadline-exceeded");
        assertThat(expired.problem().getStatus()).isEqualTo(504);
        assertThat(expired.problem().getExtensionsMap())
                .containsEntry("attempts", "1")
                .doesNotContainKey("dlqEntryId");

        // The client's own deadline: it gives up by itself, and the hub, told by grpc-timeout, gives up
        // with it instead of waiting 1.5 s for the provider.
        StatusRuntimeException gone = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> caller.withDeadlineAfter(400, TimeUnit.MILLISECONDS)
                        .call(CallRequest.newBuilder()
                                .setProvider("sluggish")
                                .setMethod("GET")
                                .setPath("/slow/grpc-deadline")
                                .build()));
        assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().atMost(Duration.ofMillis(900))
                .untilAsserted(() -> assertThat(
                                hub.management().get("/metrics", null).body().lines())
                        .anyMatch(line -> line.startsWith("integration_hub_calls_total{")
                                && line.contains("provider=\"" + id + "\"")
                                && line.contains("outcome=\"deadline_exceeded\"")
                                && line.endsWith(" 2.0")));
    }

    @Test
    void deadLettersAreListedReadRetriedInBulkAndDeleted() {
        admin("grpc-dlq")
                .createProvider(CreateProviderRequest.newBuilder()
                        .setProvider(local("dlq-psp", "api_key", 1000, 1))
                        .build());
        IntegrationHubServiceBlockingStub caller = client.stub(hub.token("grpc-dlq", Scope.CALL));
        for (String key : new String[] {"dlq-a", "dlq-b", "dlq-c"}) {
            GrpcClient.Failure parked = failure(() -> caller.call(CallRequest.newBuilder()
                    .setProvider("dlq-psp")
                    .setMethod("POST")
                    .setPath("/fail/" + key)
                    .setIdempotencyKey(key)
                    .setBody(ByteString.copyFrom("{\"n\":1}", StandardCharsets.UTF_8))
                    .setContentType("application/json")
                    .build()));
            assertThat(parked.problem().getType()).isEqualTo("upstream-failed");
        }
        IntegrationHubServiceBlockingStub operator =
                client.stub(hub.token("grpc-dlq", Scope.DLQ_READ, Scope.DLQ_WRITE));

        ListDeadLettersResponse all = operator.listDeadLetters(ListDeadLettersRequest.newBuilder()
                .setFilter(DeadLetterFilter.newBuilder().setProvider("dlq-psp").addStatus("pending"))
                .build());
        assertThat(all.getItemsList())
                .extracting(DeadLetter::getIdempotencyKey)
                .containsExactlyInAnyOrder("dlq-a", "dlq-b", "dlq-c");
        assertThat(all.getItemsList()).allSatisfy(entry -> {
            assertThat(entry.getLastError().getKind()).isEqualTo("upstream_status");
            assertThat(entry.getLastError().getStatus()).isEqualTo(500);
            assertThat(entry.hasExpiresAt()).isTrue();
        });
        ListDeadLettersResponse page = operator.listDeadLetters(
                ListDeadLettersRequest.newBuilder().setPageSize(2).build());
        assertThat(page.getItemsList()).hasSize(2);
        assertThat(page.getNextPageToken()).isNotEmpty();

        DeadLetter a = all.getItemsList().stream()
                .filter(e -> e.getIdempotencyKey().equals("dlq-a"))
                .findFirst()
                .orElseThrow();
        DeadLetter detail = operator.getDeadLetter(GetDeadLetterRequest.newBuilder()
                .setId(a.getId())
                .setIncludeBody(true)
                .build());
        assertThat(detail.getRequest().getMethod()).isEqualTo("POST");
        assertThat(detail.getRequest().getBodyBase64().toStringUtf8()).isEqualTo("{\"n\":1}");
        assertThat(operator.getDeadLetter(GetDeadLetterRequest.newBuilder()
                                .setId(a.getId())
                                .build())
                        .getRequest()
                        .getBodyBase64())
                .isEmpty();

        operator.deleteDeadLetter(
                DeleteDeadLetterRequest.newBuilder().setId(a.getId()).build());
        GrpcClient.Failure deleted = failure(() -> operator.getDeadLetter(
                GetDeadLetterRequest.newBuilder().setId(a.getId()).build()));
        assertThat(deleted.code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(deleted.problem().getType()).isEqualTo("dlq-entry-not-found");
        assertThat(failure(() -> admin("grpc-other")
                                .getDeadLetter(GetDeadLetterRequest.newBuilder()
                                        .setId(all.getItems(1).getId())
                                        .build()))
                        .code())
                .as("another tenant's entry")
                .isEqualTo(Status.Code.NOT_FOUND);

        // The provider recovers: a single retry succeeds, then the entry cannot be retried again.
        upstream.stubFor(
                any(urlPathEqualTo("/fail/dlq-b")).willReturn(aResponse().withStatus(200)));
        DeadLetter b = all.getItemsList().stream()
                .filter(e -> e.getIdempotencyKey().equals("dlq-b"))
                .findFirst()
                .orElseThrow();
        DeadLetter retrying = operator.retryDeadLetter(
                RetryDeadLetterRequest.newBuilder().setId(b.getId()).build());
        assertThat(retrying.getStatus()).isEqualTo("retrying");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> operator.getDeadLetter(GetDeadLetterRequest.newBuilder()
                                .setId(b.getId())
                                .build())
                        .getStatus()
                        .equals("succeeded"));
        GrpcClient.Failure again = failure(() -> operator.retryDeadLetter(
                RetryDeadLetterRequest.newBuilder().setId(b.getId()).build()));
        assertThat(again.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(again.problem().getType()).isEqualTo("dlq-entry-conflict");

        RetryAllBatch batch = operator.retryAllDeadLetters(RetryAllDeadLettersRequest.newBuilder()
                .setFilter(DeadLetterFilter.newBuilder().setProvider("dlq-psp"))
                .build());
        assertThat(batch.getQueued()).isEqualTo(1);
        assertThat(batch.getStatusUrl()).endsWith("/dlq/retry-all/" + batch.getBatchId());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> operator.getRetryAllProgress(GetRetryAllProgressRequest.newBuilder()
                                .setBatchId(batch.getBatchId())
                                .build())
                        .getDone());
        RetryAllProgress progress = operator.getRetryAllProgress(GetRetryAllProgressRequest.newBuilder()
                .setBatchId(batch.getBatchId())
                .build());
        assertThat(progress.getQueued()).isEqualTo(1);
        assertThat(progress.getFailed()).isEqualTo(1);
    }
}
