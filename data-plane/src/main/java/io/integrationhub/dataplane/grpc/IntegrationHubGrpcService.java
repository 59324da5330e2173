package io.integrationhub.dataplane.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.grpc.stub.StreamObserver;
import io.helidon.webserver.grpc.GrpcRouting;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Cursors;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.call.AnswerBody;
import io.integrationhub.dataplane.call.CallDeadline;
import io.integrationhub.dataplane.call.CallResult;
import io.integrationhub.dataplane.call.CallService;
import io.integrationhub.dataplane.dlq.DlqDocuments;
import io.integrationhub.dataplane.dlq.DlqRoutes;
import io.integrationhub.dataplane.dlq.DlqService;
import io.integrationhub.dataplane.grpc.v1.CallAlternative;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import io.integrationhub.dataplane.grpc.v1.CallResponse;
import io.integrationhub.dataplane.grpc.v1.CreateProviderRequest;
import io.integrationhub.dataplane.grpc.v1.DeadLetter;
import io.integrationhub.dataplane.grpc.v1.DeadLetterFilter;
import io.integrationhub.dataplane.grpc.v1.DeleteDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.DeleteDeadLetterResponse;
import io.integrationhub.dataplane.grpc.v1.DeleteProviderRequest;
import io.integrationhub.dataplane.grpc.v1.DeleteProviderResponse;
import io.integrationhub.dataplane.grpc.v1.GetDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.GetProviderHealthRequest;
import io.integrationhub.dataplane.grpc.v1.GetProviderRequest;
import io.integrationhub.dataplane.grpc.v1.GetRetryAllProgressRequest;
import io.integrationhub.dataplane.grpc.v1.HeaderValues;
import io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceGrpc;
import io.integrationhub.dataplane.grpc.v1.ListDeadLettersRequest;
import io.integrationhub.dataplane.grpc.v1.ListDeadLettersResponse;
import io.integrationhub.dataplane.grpc.v1.ListProvidersRequest;
import io.integrationhub.dataplane.grpc.v1.ListProvidersResponse;
import io.integrationhub.dataplane.grpc.v1.Provider;
import io.integrationhub.dataplane.grpc.v1.ProviderHealth;
import io.integrationhub.dataplane.grpc.v1.RetryAllBatch;
import io.integrationhub.dataplane.grpc.v1.RetryAllDeadLettersRequest;
import io.integrationhub.dataplane.grpc.v1.RetryAllProgress;
import io.integrationhub.dataplane.grpc.v1.RetryDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.UpdateProviderRequest;
import io.integrationhub.dataplane.observe.LogContext;
import io.integrationhub.dataplane.provider.ProviderRoutes;
import io.integrationhub.dataplane.provider.ProviderService;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.dlq.RetryRequests;
import io.integrationhub.registry.idempotency.StoredResponse;
import io.integrationhub.registry.problem.ProblemType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code IntegrationHubService}: each RPC authenticates like its REST route (same scope, same
 * tenant rule), then calls the same service the route calls. Answers are the REST documents read
 * into messages; failures go through {@link GrpcErrors}.
 */
public final class IntegrationHubGrpcService extends IntegrationHubServiceGrpc.IntegrationHubServiceImplBase {
    private final ProviderService providers;
    private final io.integrationhub.dataplane.provider.ProviderHealth health;
    private final CallService calls;
    private final DlqService deadLetters;
    private final Authenticator authenticator;
    private final Bodies bodies;
    private final long maxAnswerBytes;
    private final Clock clock;

    /** @param clock starts each call's deadline when its caller is authenticated */
    public IntegrationHubGrpcService(
            ProviderService providers,
            io.integrationhub.dataplane.provider.ProviderHealth health,
            CallService calls,
            DlqService deadLetters,
            Authenticator authenticator,
            Bodies bodies,
            long maxAnswerBytes,
            Clock clock) {
        this.clock = clock;
        this.bodies = bodies;
        this.maxAnswerBytes = maxAnswerBytes;
        this.providers = providers;
        this.health = health;
        this.calls = calls;
        this.deadLetters = deadLetters;
        this.authenticator = authenticator;
    }

    /** The gRPC routing serving this service, with the metadata interceptor. */
    public GrpcRouting.Builder routing() {
        return GrpcRouting.builder().intercept(new RequestMetadata()).service(this);
    }

    @Override
    public void createProvider(CreateProviderRequest request, StreamObserver<Provider> out) {
        unary("CreateProvider", out, () -> {
            Caller caller = caller(Scope.PROVIDERS_WRITE);
            return provider(providers.create(caller, Messages.toJson(request.getProvider())));
        });
    }

    @Override
    public void getProvider(GetProviderRequest request, StreamObserver<Provider> out) {
        unary("GetProvider", out, () -> provider(providers.get(caller(Scope.PROVIDERS_READ), request.getId())));
    }

    @Override
    public void listProviders(ListProvidersRequest request, StreamObserver<ListProvidersResponse> out) {
        unary("ListProviders", out, () -> {
            Caller caller = caller(Scope.PROVIDERS_READ);
            int limit = Cursors.limit(
                    request.getPageSize() == 0 ? null : Integer.toString(request.getPageSize()),
                    ProviderRoutes.DEFAULT_PAGE,
                    ProviderRoutes.MAX_PAGE);
            Page<io.integrationhub.registry.provider.Provider> page =
                    providers.list(caller, Cursors.decode(request.getPageToken()), limit);
            ListProvidersResponse.Builder response = ListProvidersResponse.newBuilder();
            page.items().forEach(provider -> response.addItems(provider(provider)));
            String next = Cursors.encode(page.nextAfterId());
            return response.setNextPageToken(next == null ? "" : next).build();
        });
    }

    @Override
    public void updateProvider(UpdateProviderRequest request, StreamObserver<Provider> out) {
        unary("UpdateProvider", out, () -> {
            Caller caller = caller(Scope.PROVIDERS_WRITE);
            Long expected = request.hasExpectedVersion() ? request.getExpectedVersion() : null;
            return provider(providers.patch(
                    caller,
                    request.getId(),
                    Messages.mergePatch(request.getProvider(), request.getUpdateMask()),
                    expected));
        });
    }

    @Override
    public void deleteProvider(DeleteProviderRequest request, StreamObserver<DeleteProviderResponse> out) {
        unary("DeleteProvider", out, () -> {
            Caller caller = caller(Scope.PROVIDERS_WRITE);
            providers.delete(
                    caller, request.getId(), request.hasExpectedVersion() ? request.getExpectedVersion() : null);
            return DeleteProviderResponse.getDefaultInstance();
        });
    }

    @Override
    public void getProviderHealth(GetProviderHealthRequest request, StreamObserver<ProviderHealth> out) {
        unary("GetProviderHealth", out, () -> {
            Caller caller = caller(Scope.PROVIDERS_READ);
            return Messages.fromJson(health.of(providers.get(caller, request.getId())), ProviderHealth.newBuilder())
                    .build();
        });
    }

    @Override
    public void call(CallRequest request, StreamObserver<CallResponse> out) {
        unary("Call", out, () -> {
            Caller caller = caller(Scope.CALL);
            // The whole call's deadline: timeout_ms or the caller's gRPC deadline, whichever ends first.
            CallDeadline deadline = CallDeadline.from(clock.instant())
                    .within(request.hasTimeoutMs() ? request.getTimeoutMs() : null, "timeoutMs")
                    .within(RequestMetadata.remaining());
            String provider = switch (request.getProviderRefCase()) {
                case PROVIDER_ID -> request.getProviderId();
                case PROVIDER -> request.getProvider();
                case PROVIDERREF_NOT_SET ->
                    throw ApiException.validation("provider", "name the provider by 'provider_id' or 'provider'");
            };
            Map<String, List<String>> headers = headers(request.getHeadersMap());
            List<io.integrationhub.dataplane.call.CallRequest.Alternative> alternatives = new ArrayList<>();
            for (int i = 0; i < request.getAlternativesCount(); i++) {
                alternatives.add(alternative(request.getAlternatives(i), i));
            }
            var call = new io.integrationhub.dataplane.call.CallRequest(
                    provider,
                    request.getMethod().toUpperCase(Locale.ROOT),
                    request.getPath(),
                    emptyToNull(request.getRawQuery()),
                    headers,
                    emptyToNull(request.getContentType()),
                    Body.of(request.getBody().toByteArray()),
                    emptyToNull(request.getIdempotencyKey()),
                    deadline,
                    RequestMetadata.TRACEPARENT_VALUE.get(),
                    alternatives);
            try (Bodies.Scope scope = scope()) {
                return switch (calls.execute(caller, call, scope.memory())) {
                    case CallResult.Answered answered ->
                        answer(answered.status(), answered.headers(), unaryBody(answered.body()))
                                .setAttempts(answered.attempts())
                                .setIdempotencyKey(answered.idempotencyKey())
                                .build();
                    case CallResult.Replayed replayed -> {
                        StoredResponse stored = replayed.response();
                        if (!stored.bodyKept()) {
                            throw new ApiException(
                                            ProblemType.IDEMPOTENT_ANSWER_NOT_KEPT,
                                            "the call with this idempotency key"
                                                    + " completed with status " + stored.status()
                                                    + ", but its answer was too large to keep for"
                                                    + " replay; it is not sent again")
                                    .extension("originalStatus", stored.status());
                        }
                        yield answer(stored.status(), stored.headers(), stored.body())
                                .setReplayed(true)
                                .setIdempotencyKey(replayed.idempotencyKey())
                                .build();
                    }
                    case CallResult.Rejected rejected -> throw rejected.problem();
                    case CallResult.Parked parked -> throw parked.problem();
                    case CallResult.Expired expired -> throw expired.problem();
                };
            }
        });
    }

    private static Map<String, List<String>> headers(Map<String, HeaderValues> map) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.forEach((name, values) ->
                headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values.getValuesList()));
        return headers;
    }

    /** An alternative as the envelope's {@code alternatives[i]}, validated by the pipeline like it. */
    private static io.integrationhub.dataplane.call.CallRequest.Alternative alternative(
            CallAlternative alternative, int i) {
        String provider = switch (alternative.getProviderRefCase()) {
            case PROVIDER_ID -> alternative.getProviderId();
            case PROVIDER -> alternative.getProvider();
            case PROVIDERREF_NOT_SET ->
                throw ApiException.validation(
                        "alternatives[" + i + "].provider", "name the provider by 'provider_id' or 'provider'");
        };
        return new io.integrationhub.dataplane.call.CallRequest.Alternative(
                provider,
                alternative.getMethod().toUpperCase(Locale.ROOT),
                alternative.getPath(),
                emptyToNull(alternative.getRawQuery()),
                headers(alternative.getHeadersMap()),
                emptyToNull(alternative.getContentType()),
                Body.of(alternative.getBody().toByteArray()));
    }

    /**
     * A unary answer carries the provider's body in one message: read up to the limit
     * ({@code INTEGRATION_GRPC_MAX_ANSWER_BYTES}) and refused beyond it, never held whole. The call
     * happened: a keyed one is complete and is not sent again.
     */
    private byte[] unaryBody(AnswerBody body) {
        try (body) {
            if (body.length() > maxAnswerBytes) {
                throw tooLarge();
            }
            BoundedSink sink = new BoundedSink(maxAnswerBytes);
            try {
                body.transferTo(sink);
            } catch (BoundedSink.Full full) {
                throw tooLarge();
            } catch (java.io.IOException e) {
                throw new ApiException(
                        ProblemType.UPSTREAM_FAILED,
                        "the provider's answer broke off after it had started;"
                                + " the call was made and is not retried");
            }
            return sink.bytes();
        }
    }

    private ApiException tooLarge() {
        return new ApiException(
                ProblemType.ANSWER_TOO_LARGE,
                "the provider's answer is larger than the " + maxAnswerBytes
                        + " bytes a unary Call carries (INTEGRATION_GRPC_MAX_ANSWER_BYTES); use the REST routes, which stream it."
                        + " The call was made and is not sent again");
    }

    private Bodies.Scope scope() {
        try {
            Bodies.Scope scope = bodies.open();
            if (scope == null) {
                throw new ApiException(
                        ProblemType.OVERLOADED,
                        "this instance holds as many bodies in memory as its budget allows;" + " retry shortly");
            }
            return scope;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemType.UNAVAILABLE, "the hub is shutting down");
        }
    }

    @Override
    public void listDeadLetters(ListDeadLettersRequest request, StreamObserver<ListDeadLettersResponse> out) {
        unary("ListDeadLetters", out, () -> {
            Caller caller = caller(Scope.DLQ_READ);
            int limit = Cursors.limit(
                    request.getPageSize() == 0 ? null : Integer.toString(request.getPageSize()),
                    ProviderRoutes.DEFAULT_PAGE,
                    ProviderRoutes.MAX_PAGE);
            var filter = filter(caller, request.getFilter());
            Page<io.integrationhub.registry.dlq.DeadLetter> page =
                    deadLetters.list(caller, filter, Cursors.decode(request.getPageToken()), limit);
            ListDeadLettersResponse.Builder response = ListDeadLettersResponse.newBuilder();
            page.items()
                    .forEach(entry ->
                            response.addItems(Messages.fromJson(DlqDocuments.entry(entry), DeadLetter.newBuilder())));
            String next = Cursors.encode(page.nextAfterId());
            return response.setNextPageToken(next == null ? "" : next).build();
        });
    }

    @Override
    public void getDeadLetter(GetDeadLetterRequest request, StreamObserver<DeadLetter> out) {
        unary("GetDeadLetter", out, () -> {
            Caller caller = caller(Scope.DLQ_READ);
            var entry = deadLetters.get(caller, request.getId());
            return Messages.fromJson(
                            DlqDocuments.detail(
                                    entry,
                                    deadLetters.request(entry),
                                    deadLetters.provider(entry),
                                    request.getIncludeBody()),
                            DeadLetter.newBuilder())
                    .build();
        });
    }

    @Override
    public void retryDeadLetter(RetryDeadLetterRequest request, StreamObserver<DeadLetter> out) {
        unary(
                "RetryDeadLetter",
                out,
                () -> Messages.fromJson(
                                DlqDocuments.entry(deadLetters.retry(caller(Scope.DLQ_WRITE), request.getId())),
                                DeadLetter.newBuilder())
                        .build());
    }

    @Override
    public void retryAllDeadLetters(RetryAllDeadLettersRequest request, StreamObserver<RetryAllBatch> out) {
        unary("RetryAllDeadLetters", out, () -> {
            Caller caller = caller(Scope.DLQ_WRITE);
            RetryRequests.Batch batch = deadLetters.retryAll(caller, filter(caller, request.getFilter()));
            return Messages.fromJson(
                            DlqDocuments.batch(batch, DlqRoutes.PATH + "/retry-all/" + batch.id()),
                            RetryAllBatch.newBuilder())
                    .build();
        });
    }

    @Override
    public void getRetryAllProgress(GetRetryAllProgressRequest request, StreamObserver<RetryAllProgress> out) {
        unary(
                "GetRetryAllProgress",
                out,
                () -> Messages.fromJson(
                                DlqDocuments.progress(
                                        deadLetters.progress(caller(Scope.DLQ_READ), request.getBatchId())),
                                RetryAllProgress.newBuilder())
                        .build());
    }

    @Override
    public void deleteDeadLetter(DeleteDeadLetterRequest request, StreamObserver<DeleteDeadLetterResponse> out) {
        unary("DeleteDeadLetter", out, () -> {
            deadLetters.delete(caller(Scope.DLQ_WRITE), request.getId());
            return DeleteDeadLetterResponse.getDefaultInstance();
        });
    }

    /** The filter of a listing or retry-all, read by the same rules as the REST query parameters. */
    private io.integrationhub.registry.dlq.DeadLetterFilter filter(Caller caller, DeadLetterFilter filter) {
        return deadLetters.filter(
                caller,
                emptyToNull(filter.getProvider()),
                filter.getStatusCount() == 0 ? null : String.join(",", filter.getStatusList()),
                filter.hasCreatedFrom() ? instant(filter.getCreatedFrom()) : null,
                filter.hasCreatedTo() ? instant(filter.getCreatedTo()) : null);
    }

    private static String instant(Timestamp timestamp) {
        return Timestamps.toString(timestamp);
    }

    private static CallResponse.Builder answer(int status, Map<String, List<String>> headers, byte[] body) {
        CallResponse.Builder response =
                CallResponse.newBuilder().setStatus(status).setBody(ByteString.copyFrom(body));
        headers.forEach((name, values) -> response.putHeaders(
                name, HeaderValues.newBuilder().addAllValues(values).build()));
        return response;
    }

    private Provider provider(io.integrationhub.registry.provider.Provider provider) {
        return Messages.fromJson(providers.document(provider), Provider.newBuilder())
                .build();
    }

    /**
     * The authenticated caller: metadata {@code authorization: Bearer <jwt>} with the scope, and
     * {@code x-tenant-id}, when sent (every value, if repeated), naming the token's tenant — the REST
     * rules, by the same code.
     */
    private Caller caller(Scope scope) {
        String token = Authenticator.bearer(
                        Authenticator.single(RequestMetadata.AUTHORIZATION_VALUES.get(), "authorization"))
                .orElseThrow(() ->
                        new ApiException(ProblemType.UNAUTHORIZED, "send metadata authorization: Bearer <token>"));
        Caller caller = authenticator.authorize(token, RequestMetadata.TENANT_VALUES.get(), scope);
        LogContext.tenant(caller.tenantId());
        return caller;
    }

    /** Runs one unary RPC in its log context; every failure becomes a status through {@link GrpcErrors}. */
    private static <T> void unary(String operation, StreamObserver<T> out, Supplier<T> work) {
        T answer;
        try (LogContext.Scope scope = LogContext.open(RequestMetadata.TRACEPARENT_VALUE.get(), null)) {
            try {
                answer = work.get();
            } catch (RuntimeException e) {
                out.onError(GrpcErrors.toStatus(e, operation));
                return;
            }
        }
        out.onNext(answer);
        out.onCompleted();
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
