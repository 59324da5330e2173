package io.integrationhub.dataplane.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.StripeCollection;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.testkit.Canary;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The transparent route with an unmodified provider SDK (stripe-java from Maven Central), pointed at
 * the hub as its API base and given the hub token as its API key — as a module would use it.
 */
@Tag("hub")
class ProxyRouteTest {
    private static final String CUSTOMER = """
            {"id": "cus_123", "object": "customer", "email": "ada@example.test", "description": "first customer",
             "livemode": false, "created": 1700000000}""";
    private static WireMockServer stripe;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        stripe = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        stripe.start();
        hub = TestHub.start(Map.of());
        Providers.create(
                hub,
                "payments",
                Providers.local(
                        "stripe",
                        stripe.port(),
                        "{\"type\":\"bearer\",\"credentials\":{\"token\":\"" + Canary.SECRET + "\"}}",
                        ""));
    }

    @AfterAll
    static void stop() {
        hub.close();
        stripe.stop();
    }

    @BeforeEach
    void reset() {
        stripe.resetAll();
    }

    private static StripeClient sdk(String hubToken) {
        return StripeClient.builder()
                .setApiKey(hubToken)
                .setApiBase(hub.hub().baseUri() + "/api/v1/integrations/proxy/stripe")
                .setMaxNetworkRetries(0)
                .build();
    }

    @Test
    void theStripeSdkWorksThroughTheHubWithTheHubTokenAsItsApiKey() throws StripeException {
        stripe.stubFor(post("/v1/customers")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Request-Id", "req_abc")
                        .withBody(CUSTOMER)));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"object\":\"list\",\"url\":\"/v1/customers\",\"has_more\":false,\"data\":["
                                + CUSTOMER + "]}")));
        String hubToken = hub.token("payments", Scope.CALL);

        Customer customer = sdk(hubToken)
                .v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("ada@example.test")
                        .setDescription("first customer")
                        .putMetadata("order", "42")
                        .build());
        StripeCollection<Customer> listed = sdk(hubToken)
                .v1()
                .customers()
                .list(CustomerListParams.builder()
                        .setLimit(3L)
                        .setEmail("ada@example.test")
                        .build());

        assertThat(customer.getId()).isEqualTo("cus_123");
        assertThat(customer.getEmail()).isEqualTo("ada@example.test");
        assertThat(listed.getData()).extracting(Customer::getId).containsExactly("cus_123");

        LoggedRequest create =
                stripe.findAll(anyRequestedFor(urlPathEqualTo("/v1/customers"))).get(0);
        assertThat(create.getMethod().getName()).isEqualTo("POST");
        assertThat(create.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(create.getBodyAsString())
                .contains("email=ada%40example.test")
                .contains("description=first+customer")
                .contains("metadata[order]=42");
        assertThat(create.getHeader("Authorization")).isEqualTo("Bearer " + Canary.SECRET);
        assertThat(create.getHeader("Stripe-Version")).isNotBlank();
        assertThat(create.getHeader("Idempotency-Key"))
                .as("the SDK's own key is kept")
                .isNotBlank();

        LoggedRequest list =
                stripe.findAll(anyRequestedFor(urlPathEqualTo("/v1/customers"))).get(1);
        assertThat(list.getMethod().getName()).isEqualTo("GET");
        assertThat(list.getQueryParams().get("limit").firstValue()).isEqualTo("3");
        assertThat(list.getQueryParams().get("email").firstValue()).isEqualTo("ada@example.test");

        for (LoggedRequest request : stripe.findAll(anyRequestedFor(urlPathEqualTo("/v1/customers")))) {
            for (HttpHeader header : request.getHeaders().all()) {
                assertThat(header.values()).as(header.key()).noneMatch(value -> value.contains(hubToken));
            }
            assertThat(request.getUrl()).doesNotContain(hubToken);
        }
    }

    @Test
    void theSdksRetryWithItsIdempotencyKeyIsAReplay() throws StripeException {
        stripe.stubFor(post(urlPathEqualTo("/v1/customers"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(CUSTOMER)));
        String token = hub.token("payments", Scope.CALL);
        Map<String, String> headers = Map.of(
                "Proxy-Authorization",
                "Bearer " + token,
                "Idempotency-Key",
                "sdk-key-1",
                "Content-Type",
                "application/x-www-form-urlencoded",
                "Authorization",
                "Bearer sk_the_sdk_thinks_it_owns");
        // The JDK HttpClient drops Proxy-Authorization on direct requests; Helidon's client sends it as given.
        Answer first = rawPost(
                "/api/v1/integrations/proxy/stripe/v1/customers?expand%5B%5D=sources", "email=a%40b.test", headers);
        Answer second = rawPost(
                "/api/v1/integrations/proxy/stripe/v1/customers?expand%5B%5D=sources", "email=a%40b.test", headers);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.header("X-Idempotent-Replay")).contains("true");
        assertThat(second.body()).isEqualTo(first.body());
        LoggedRequest sent =
                stripe.findAll(anyRequestedFor(urlPathEqualTo("/v1/customers"))).get(0);
        assertThat(stripe.findAll(anyRequestedFor(urlPathEqualTo("/v1/customers"))))
                .hasSize(1);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + Canary.SECRET);
        assertThat(sent.containsHeader("Proxy-Authorization")).isFalse();
        assertThat(sent.getUrl()).as("query passed as sent").isEqualTo("/v1/customers?expand%5B%5D=sources");
    }

    private static Answer rawPost(String pathAndQuery, String body, Map<String, String> headers) {
        var request = io.helidon.webclient.api.WebClient.builder()
                .build()
                .post()
                .uri(hub.hub().baseUri() + pathAndQuery)
                .skipUriEncoding(true);
        headers.forEach((name, value) -> request.header(io.helidon.http.HeaderNames.create(name), value));
        try (var response = request.submit(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            Map<String, java.util.List<String>> responseHeaders =
                    new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().forEach(h -> responseHeaders.put(h.name(), h.allValues()));
            String text = response.entity().as(String.class);
            Canary.record("http POST " + pathAndQuery, response.status().code() + " " + responseHeaders + "\n" + text);
            return new Answer(response.status().code(), responseHeaders, text);
        }
    }

    @Test
    void aBearerThatIsNotAHubTokenIsRefusedAndNothingIsForwarded() {
        stripe.stubFor(
                any(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)));
        assertThatThrownBy(() -> sdk("sk_live_not_a_hub_token").v1().customers().list())
                .isInstanceOf(StripeException.class);
        Answer answer = hub.client()
                .send(
                        "GET",
                        "/api/v1/integrations/proxy/stripe/v1/customers",
                        "sk_live_not_a_hub_token",
                        null,
                        Map.of());
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("type").asText()).isEqualTo("unauthorized");
        Answer otherTenant = hub.client()
                .send(
                        "GET",
                        "/api/v1/integrations/proxy/stripe/v1/customers",
                        hub.token("someone-else", Scope.CALL),
                        null,
                        Map.of());
        assertThat(otherTenant.status()).isEqualTo(404);
        Answer mismatch = hub.client()
                .send(
                        "GET",
                        "/api/v1/integrations/proxy/stripe/v1/customers",
                        hub.token("payments", Scope.CALL),
                        null,
                        Map.of("X-Tenant-ID", "someone-else"));
        assertThat(mismatch.status()).isEqualTo(403);
        assertThat(stripe.getAllServeEvents()).isEmpty();
    }

    @Test
    void proxyPathsAreHeldToTheSameRulesAsTheEnvelope() {
        String token = hub.token("payments", Scope.CALL);
        for (String path : new String[] {"/v1/%2e%2e/admin", "/v1/a%2fb", "/v1/%40evil"}) {
            Answer answer = hub.client().send("GET", "/api/v1/integrations/proxy/stripe" + path, token, null, Map.of());
            assertThat(answer.status()).as(path + ": " + answer.body()).isIn(400, 404, 422);
            assertThat(answer.header("Content-Type").orElse("")).as(path).contains("problem+json");
        }
        assertThat(stripe.getAllServeEvents()).isEmpty();
    }
}
