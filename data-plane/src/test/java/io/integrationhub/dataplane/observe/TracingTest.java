package io.integrationhub.dataplane.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry over OTLP/HTTP, with WireMock on loopback as the collector: the hub's span of a
 * call continues the caller's trace and is the parent the provider receives; with no endpoint
 * configured nothing is exported (and no SDK is even built).
 */
@Tag("hub")
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void theCallSpanContinuesTheCallersTraceIsTheProvidersParentAndIsExported() {
        WireMockServer collector =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        collector.start();
        collector.stubFor(post("/v1/traces").willReturn(aResponse().withStatus(200)));
        collector.stubFor(
                any(urlPathMatching("/provider/.*")).willReturn(aResponse().withStatus(200)));
        try (TestHub hub = TestHub.start(Map.of("INTEGRATION_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.port()))) {
            Providers.create(hub, "trace", Providers.local("traced", collector.port(), "{\"type\":\"none\"}", ""));
            assertThat(hub.client()
                            .send(
                                    "POST",
                                    "/api/v1/integrations/call",
                                    hub.token("trace", Scope.CALL),
                                    "{\"provider\": \"traced\", \"method\": \"GET\", \"path\": \"/provider/1\"}",
                                    Map.of(
                                            "Content-Type",
                                            "application/json",
                                            "traceparent",
                                            "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"))
                            .status())
                    .isEqualTo(200);

            String sent = collector
                    .findAll(anyRequestedFor(urlPathEqualTo("/provider/1")))
                    .get(0)
                    .getHeader("traceparent");
            assertThat(sent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
            String hubSpan = sent.substring(36, 52);
            assertThat(hubSpan).isNotEqualTo(CALLER_SPAN);

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> !collector
                            .findAll(postRequestedFor(urlPathEqualTo("/v1/traces")))
                            .isEmpty());
            List<LoggedRequest> exports = collector.findAll(postRequestedFor(urlPathEqualTo("/v1/traces")));
            byte[] export = exports.get(0).getBody();
            assertThat(exports.get(0).getHeader("Content-Type")).isEqualTo("application/x-protobuf");
            // OTLP protobuf carries ids as raw bytes: the span, its trace and its parent (the caller's span).
            assertThat(contains(export, HexFormat.of().parseHex(TRACE_ID))).isTrue();
            assertThat(contains(export, HexFormat.of().parseHex(hubSpan))).isTrue();
            assertThat(contains(export, HexFormat.of().parseHex(CALLER_SPAN))).isTrue();
            assertThat(new String(export, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains(Tracing.SERVICE_NAME)
                    .doesNotContain("/provider/1");
        } finally {
            collector.stop();
        }
    }

    @Test
    void withoutAnEndpointTracingIsOff() {
        Tracing off = Tracing.create(null);
        assertThat(off).isSameAs(Tracing.OFF);
        assertThat(off.enabled()).isFalse();
        assertThat(off.start("00-" + TRACE_ID + "-" + CALLER_SPAN + "-01", "GET"))
                .isNull();
        try (Tracing on = Tracing.create("http://127.0.0.1:1")) {
            assertThat(on.enabled()).isTrue();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
