package io.integrationhub.dataplane.egress;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** INTEGRATION_ALLOW_INSECURE_HTTP guards calls at run time, not only provider writes. */
@Tag("hub")
class InsecureHttpAtRunTimeTest {
    private static final String CALL = "/api/v1/integrations/call";
    private WireMockServer provider;

    @BeforeEach
    void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("reached")));
    }

    @AfterEach
    void stop() {
        provider.stop();
    }

    @Test
    void aPlainHttpProviderStoredEarlierIsNotCalledAfterARestartWithoutTheFlag() {
        String envelope = "{\"provider\":\"legacy\",\"method\":\"GET\",\"path\":\"/x\"}";
        Map<String, String> json = Map.of("Content-Type", "application/json");
        try (TestHub permissive = TestHub.start(Map.of("INTEGRATION_ALLOW_INSECURE_HTTP", "true"))) {
            Providers.create(permissive, "old", Providers.local("legacy", provider.port(), "{\"type\":\"none\"}", ""));
            assertThat(permissive
                            .client()
                            .send("POST", CALL, permissive.token("old", Scope.CALL), envelope, json)
                            .status())
                    .isEqualTo(200);

            try (TestHub strict = TestHub.sharing(
                    permissive.database(),
                    Map.of("INTEGRATION_ALLOW_INSECURE_HTTP", "false"),
                    Hub.Options.defaults())) {
                Answer refused = strict.client().send("POST", CALL, strict.token("old", Scope.CALL), envelope, json);
                assertThat(refused.status()).as(refused.body()).isEqualTo(403);
                assertThat(refused.json().path("type").asText()).isEqualTo("insecure-http-not-allowed");
                assertThat(refused.json().path("detail").asText()).contains("INTEGRATION_ALLOW_INSECURE_HTTP");
                assertThat(refused.json().path("setting").asText()).isEqualTo("INTEGRATION_ALLOW_INSECURE_HTTP");
            }
        }
        assertThat(provider.getAllServeEvents())
                .as("only the call made while it was allowed")
                .hasSize(1);
    }

    /** Replays and OAuth2 token requests leave through the same clients: the egress refuses plain http itself. */
    @Test
    void theOutboundClientsRefusePlainHttpUnlessAllowed() {
        HostResolver loopback = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        DestinationPolicy policy = new DestinationPolicy(List.of());
        String url = "http://127.0.0.1:" + provider.port() + "/token";

        Throwable refused = catchThrowable(() -> new OutboundClients(loopback, policy, new InsecureHttpGuard(false))
                .forProvider(true)
                .get(url)
                .request()
                .close());
        Throwable cause = refused;
        while (cause != null && !(cause instanceof ForbiddenDestinationException)) {
            cause = cause.getCause();
        }
        Assertions.assertThat(cause)
                .as(String.valueOf(refused))
                .isInstanceOf(ForbiddenDestinationException.class)
                .hasMessageContaining("INTEGRATION_ALLOW_INSECURE_HTTP");
        assertThat(provider.getAllServeEvents()).isEmpty();

        try (var answer = new OutboundClients(loopback, policy, new InsecureHttpGuard(true))
                .forProvider(true)
                .get(url)
                .request()) {
            assertThat(answer.status().code()).isEqualTo(200);
        }
    }
}
