package io.integrationhub.dataplane.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.DestinationPolicy;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.SuiteCounts;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A call may not leave its provider's origin (path tricks) nor reach an internal address (SSRF),
 * checked on the address actually connected to. Every refused row would reach WireMock on loopback
 * if the guard failed, so each row proves the guard; nothing here sends a packet beyond 127.0.0.0/8.
 */
@Tag("hub")
class DestinationSafetyTest {
    private static final java.util.concurrent.atomic.AtomicInteger CASES =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final String CALL = "/api/v1/integrations/call";
    private static WireMockServer provider;
    private static TestHub hub;

    /** Test DNS: these names resolve to loopback, as a rebinding attacker's name would. */
    private static final HostResolver RESOLVER = host -> switch (host) {
        case "rebind.attacker.test" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        case "localhost" -> new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")};
        case "mixed.attacker.test" ->
            new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("::1")};
        default -> {
            if (host.matches("[0-9.:a-fA-F]+")) {
                yield InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        }
    };

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("0.0.0.0").dynamicPort());
        provider.start();
        hub = TestHub.start(Map.of(), Hub.Options.defaults().withResolver(RESOLVER));
        Providers.create(hub, "safe", Providers.local("origin", provider.port(), "{\"type\":\"none\"}", ""));
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.stop();
        SuiteCounts.print(
                "ssrf", CASES.get() + " cases (destinations, host spellings, path tricks, redirects, CIDR allowances)");
    }

    @BeforeEach
    void reset() {
        CASES.incrementAndGet();
        provider.resetAll();
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("reached")));
    }

    private static Answer call(String envelope) {
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("safe", Scope.CALL),
                        envelope,
                        Map.of("Content-Type", "application/json"));
    }

    @ParameterizedTest(name = "path {0}")
    @ValueSource(
            strings = {
                "/../admin",
                "/a/../../etc/passwd",
                "/a/./b",
                "/..",
                "/%2e%2e/admin",
                "/%2E%2E/admin",
                "/.%2e/admin",
                "/%252e%252e/admin",
                "/a%2fb",
                "/a%2Fb",
                "/a%5cb",
                "/a\\\\b",
                "\\\\evil.test",
                "//evil.test/x",
                "/@evil.test",
                "/a@evil.test",
                "http://evil.test/x",
                "https://evil.test",
                "evil.test/x",
                "",
                "/a%00b",
                "/a%0d%0aX-Injected:1",
                "/a b",
                "/a#fragment",
                "/a?x=caf\u00e9",
                "/a;b=c/d",
                "/..;/admin",
                "/a/..;/..;/admin",
                "/.;/admin",
                "/..%3b/admin",
                "/%",
                "/%zz",
                "/caf\u00e9",
                "/a%40b",
                "/a//b"
            })
    void pathsThatCouldLeaveTheOriginAreRejected(String path) {
        Answer answer = call("{\"provider\":\"origin\",\"method\":\"GET\",\"path\":"
                + Json.mapper().valueToTree(path) + "}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().path("type").asText()).isEqualTo("validation");
        assertThat(answer.json().path("errors").findValuesAsText("field")).containsExactly("path");
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest(name = "path {0}")
    @ValueSource(
            strings = {
                "/v1/charges",
                "/v1/customers/cus_123/sources",
                "/things:batchGet",
                "/a%20b",
                "/%E2%9C%93",
                "/a%3Bb=c/d",
                "/v1/items?limit=2&sort=a%20b"
            })
    void ordinaryPathsPassUnchanged(String path) {
        Answer answer = call("{\"provider\":\"origin\",\"method\":\"GET\",\"path\":\"" + path + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(provider.getAllServeEvents().get(0).getRequest().getUrl()).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "loopback,127.0.0.1",
        "other loopback,127.0.0.2",
        "localhost,localhost",
        "unspecified,0.0.0.0",
        "DNS name rebinding to loopback,rebind.attacker.test",
        "DNS name with only internal addresses,mixed.attacker.test"
    })
    void internalDestinationsAreRefusedUnlessAllowed(String label, String target) {
        String name = "ssrf-" + Integer.toHexString(target.hashCode());
        Providers.create(hub, "ssrf", """
                {"name": "%s", "type": "custom", "baseUrl": "http://%s:%d", "auth": {"type": "none"},
                 "config": {"retry": {"maxAttempts": 1}}}""".formatted(name, target, provider.port()));
        Answer answer = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("ssrf", Scope.CALL),
                        "{\"provider\":\"" + name + "\",\"method\":\"GET\",\"path\":\"/metadata\"}",
                        Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.json().path("type").asText()).isEqualTo("forbidden-destination");
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "127.1",
                "[::1]",
                "[::ffff:127.0.0.1]",
                "2130706433",
                "2130706433:8080",
                "0177.0.0.1",
                "0x7f000001",
                "0x7f.0.0.1",
                "2130706433.test:99999"
            })
    void ambiguousHostSpellingsAreRefusedAtRegistration(String host) {
        Answer answer = hub.client().post(Providers.PATH, hub.adminToken("ssrf"), """
                {"name": "odd-%s", "type": "custom", "baseUrl": "http://%s", "auth": {"type": "none"}}""".formatted(
                        Integer.toHexString(host.hashCode()), host));
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().path("errors").findValuesAsText("field")).containsExactly("baseUrl");
    }

    @Test
    void theSameLoopbackCallIsRefusedWithoutTheAllowanceAndPassesWithIt() {
        String doc = """
                {"name": "%s", "type": "custom", "baseUrl": "http://127.0.0.1:%d", "auth": {"type": "none"},
                 "config": {"allowPrivateNetwork": %s}}""";
        Providers.create(hub, "allow", doc.formatted("without", provider.port(), "false"));
        Providers.create(hub, "allow", doc.formatted("with", provider.port(), "true"));
        String envelope = "{\"provider\":\"%s\",\"method\":\"GET\",\"path\":\"/x\"}";
        Answer refused = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("allow", Scope.CALL),
                        envelope.formatted("without"),
                        Map.of("Content-Type", "application/json"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(provider.getAllServeEvents()).isEmpty();
        Answer allowed = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("allow", Scope.CALL),
                        envelope.formatted("with"),
                        Map.of("Content-Type", "application/json"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("reached");
    }

    @Test
    void aConfiguredCidrAllowsItsRangeOnly() {
        try (TestHub cidrHub = TestHub.start(
                Map.of("INTEGRATION_ALLOWED_CIDRS", "127.0.0.1/32"),
                Hub.Options.defaults().withResolver(RESOLVER))) {
            String doc =
                    "{\"name\":\"%s\",\"type\":\"custom\",\"baseUrl\":\"http://%s:%d\",\"auth\":{\"type\":\"none\"}}";
            Providers.create(cidrHub, "cidr", doc.formatted("in-range", "127.0.0.1", provider.port()));
            Providers.create(cidrHub, "cidr", doc.formatted("out-of-range", "127.0.0.2", provider.port()));
            String envelope = "{\"provider\":\"%s\",\"method\":\"GET\",\"path\":\"/x\"}";
            assertThat(cidrHub.client()
                            .send(
                                    "POST",
                                    CALL,
                                    cidrHub.token("cidr", Scope.CALL),
                                    envelope.formatted("in-range"),
                                    Map.of("Content-Type", "application/json"))
                            .status())
                    .isEqualTo(200);
            assertThat(cidrHub.client()
                            .send(
                                    "POST",
                                    CALL,
                                    cidrHub.token("cidr", Scope.CALL),
                                    envelope.formatted("out-of-range"),
                                    Map.of("Content-Type", "application/json"))
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void redirectsAreNotFollowed() {
        provider.stubFor(any(anyUrl())
                .willReturn(aResponse().withStatus(302).withHeader("Location", "http://169.254.169.254/latest")));
        Answer answer = call("{\"provider\":\"origin\",\"method\":\"GET\",\"path\":\"/go\"}");
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).contains("http://169.254.169.254/latest");
        assertThat(provider.getAllServeEvents()).hasSize(1);
    }

    /** Ranges that must never be dialled from a test are checked on the policy itself. */
    @ParameterizedTest(name = "{0} internal={1}")
    @CsvSource({
        "10.0.0.1,true",
        "10.255.255.255,true",
        "172.16.0.1,true",
        "172.31.255.254,true",
        "192.168.1.1,true",
        "169.254.169.254,true",
        "100.64.0.1,true",
        "0.0.0.0,true",
        "224.0.0.1,true",
        "255.255.255.255,true",
        "::,true",
        "::1,true",
        "fe80::1,true",
        "fc00::1,true",
        "fd12:3456::1,true",
        "::ffff:10.0.0.1,true",
        "::ffff:169.254.169.254,true",
        "8.8.8.8,false",
        "1.1.1.1,false",
        "172.32.0.1,false",
        "2001:4860:4860::8888,false",
        "::ffff:8.8.8.8,false"
    })
    void theDestinationPolicyKnowsInternalRanges(String address, boolean internal) throws Exception {
        assertThat(DestinationPolicy.isInternal(InetAddress.getByName(address))).isEqualTo(internal);
    }
}
