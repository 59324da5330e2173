package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.registry.problem.ProblemType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which headers travel, each way: no hub, no provider. */
class OutboundHeadersTest {

    @ParameterizedTest(name = "{0} from the caller: forwarded={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "X-Request-Id          | true",
                "Accept                | true",
                "OpenAI-Beta           | true",
                "If-None-Match         | true",
                // Hop-by-hop.
                "Connection            | false",
                "Keep-Alive            | false",
                "Transfer-Encoding     | false",
                "TE                    | false",
                "Upgrade               | false",
                "Proxy-Authorization   | false",
                "Proxy-Connection      | false",
                // The hub's own, in any spelling.
                "Authorization         | false",
                "authorization         | false",
                "Host                  | false",
                "Content-Length        | false",
                "Content-Type          | false",
                "Idempotency-Key       | false",
                "traceparent           | false",
                "X-Tenant-ID           | false",
                "Accept-Encoding       | false",
                "Cookie                | false",
                "Expect                | false",
                "X-Integration-Timeout-Ms | false",
                "Forwarded             | false",
                "X-Forwarded-For       | false",
                "X-Forwarded-Host      | false",
                "X-Forwarded-Proto     | false",
            })
    void theCallersHeadersTravelUnlessHopByHopOrTheHubs(String name, boolean forwarded) {
        Map<String, List<String>> out = OutboundHeaders.fromCaller(Map.of(name, List.of("v")), "headers");
        assertThat(out.containsKey(name)).isEqualTo(forwarded);
    }

    @Test
    void aHeaderTheCallerListsInConnectionIsHopByHopToo() {
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("X-Private", List.of("1"));
        in.put("Connection", List.of("x-private, close"));
        in.put("X-Public", List.of("2"));
        assertThat(OutboundHeaders.fromCaller(in, "headers")).containsOnlyKeys("X-Public");
    }

    @Test
    void repeatedValuesTravelInOrderAndNamesKeepTheCallersSpelling() {
        Map<String, List<String>> out = OutboundHeaders.fromCaller(Map.of("x-Trace-Tag", List.of("a", "b")), "headers");
        assertThat(out.keySet()).containsExactly("x-Trace-Tag");
        assertThat(out.get("X-TRACE-TAG")).containsExactly("a", "b");
    }

    @ParameterizedTest(name = "name \"{0}\" is refused")
    @ValueSource(strings = {"", "X Space", "X:Colon", "X(Paren)", "Ünicode", "X\tTab", "X\r\nInjected"})
    void aNameThatIsNoHttpTokenIsRefused(String name) {
        assertThatThrownBy(() -> OutboundHeaders.fromCaller(Map.of(name, List.of("v")), "headers"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.VALIDATION);
                    assertThat(e.getMessage()).startsWith("headers." + name + ": is not a valid header name");
                });
    }

    @Test
    void aNameOf128CharactersIsTheLongest() {
        assertThat(OutboundHeaders.fromCaller(Map.of("X".repeat(128), List.of("v")), "headers"))
                .hasSize(1);
        assertThatThrownBy(() -> OutboundHeaders.fromCaller(Map.of("X".repeat(129), List.of("v")), "headers"))
                .isInstanceOf(ApiException.class);
    }

    @ParameterizedTest(name = "a value with U+{0} is refused")
    @ValueSource(ints = {0x0a, 0x0d, 0x00, 0x1b, 0x7f, 0x80, 0xe9, 0x2028, 0x1f600})
    void aValueWithControlOrNonAsciiCharactersIsRefused(int codePoint) {
        String value = "a" + Character.toString(codePoint) + "b";
        assertThatThrownBy(() -> OutboundHeaders.fromCaller(Map.of("X-Value", List.of(value)), "headers"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .startsWith("headers.X-Value: must be at most 8192 characters of visible ASCII"));
    }

    @ParameterizedTest(name = "value \"{0}\" is refused")
    @ValueSource(strings = {" ", "\t", " leading", "trailing ", "\tleading-tab", "trailing-tab\t", "  "})
    void aValueStartingOrEndingWithWhitespaceIsRefused(String value) {
        assertThatThrownBy(() -> OutboundHeaders.fromCaller(Map.of("X-Value", List.of(value)), "headers"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.VALIDATION);
                    assertThat(e.getMessage()).startsWith("headers.X-Value: must not start or end with a space or tab");
                });
    }

    @Test
    void anEmptyValueTravels() {
        assertThat(OutboundHeaders.fromCaller(Map.of("X-Value", List.of("")), "headers")
                        .get("X-Value"))
                .containsExactly("");
    }

    @Test
    void valuesUpTo8192VisibleCharactersSpacesAndTabsTravel() {
        assertThat(OutboundHeaders.fromCaller(Map.of("X-Value", List.of("a b\tc", "x".repeat(8192))), "headers"))
                .hasSize(1);
        assertThatThrownBy(() -> OutboundHeaders.fromCaller(Map.of("X-Value", List.of("x".repeat(8193))), "headers"))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void atMostAHundredHeaders() {
        Map<String, List<String>> hundred = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            hundred.put("X-H" + i, List.of("v"));
        }
        assertThat(OutboundHeaders.fromCaller(hundred, "headers")).hasSize(100);
        hundred.put("X-H100", List.of("v"));
        assertThatThrownBy(() -> OutboundHeaders.fromCaller(hundred, "headers"))
                .hasMessage("headers: must have at most 100 headers");
    }

    @Test
    void onTheWireInjectedAuthBeatsTheCallerWhoBeatsTheProvidersDefaults() {
        Map<String, List<String>> wire = OutboundHeaders.compose(
                Map.of("Accept", "application/xml", "X-Api-Version", "1", "X-Key", "default"),
                Map.of("accept", List.of("application/json"), "x-key", List.of("caller")),
                new OutboundAuth(Map.of("X-KEY", "injected"), List.of()),
                "key-1",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "application/json");
        assertThat(wire.get("Accept")).containsExactly("application/json");
        assertThat(wire.get("X-Api-Version")).containsExactly("1");
        assertThat(wire.get("x-key")).containsExactly("injected");
        assertThat(wire.get("idempotency-key")).containsExactly("key-1");
        assertThat(wire.get("Traceparent")).containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(wire.get("content-type")).containsExactly("application/json");
    }

    @Test
    void noContentTypeWithoutABody() {
        assertThat(OutboundHeaders.compose(Map.of(), Map.of(), OutboundAuth.NONE, "k", "t", null))
                .doesNotContainKey("Content-Type");
    }

    @ParameterizedTest(name = "{0} from the provider: returned={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Content-Type           | true",
                "ETag                   | true",
                "Retry-After            | true",
                "X-RateLimit-Remaining  | true",
                "Content-Length         | false",
                "Set-Cookie             | false",
                "set-cookie2            | false",
                "Date                   | false",
                "Transfer-Encoding      | false",
                "Connection             | false",
                "X-Integration-Source   | false",
                "X-Integration-Attempts | false",
                "X-Idempotent-Replay    | false",
            })
    void theProvidersHeadersReturnUnlessHopByHopFramingCookiesOrTheHubs(String name, boolean returned) {
        Map<String, List<String>> back =
                OutboundHeaders.fromProvider(Map.of(name, List.of("v")).entrySet());
        assertThat(back.containsKey(name)).isEqualTo(returned);
    }

    @Test
    void theTokenCheckAcceptsExactlyWhatRfc9110TokensAllowUpTo128Characters() {
        java.util.regex.Pattern token = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
        for (char c = 0; c < 0x180; c++) {
            String name = "X" + c;
            assertThat(OutboundHeaders.isToken(name))
                    .as("header name with U+%04X", (int) c)
                    .isEqualTo(token.matcher(name).matches());
        }
        assertThat(OutboundHeaders.isToken("")).isFalse();
        assertThat(OutboundHeaders.isToken("a".repeat(128))).isTrue();
        assertThat(OutboundHeaders.isToken("a".repeat(129))).isFalse();
    }
}
