package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.registry.problem.ProblemType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** No spelling of a path may reach anything outside the provider's base path. */
class OutboundPathsTest {
    private static final String BASE = "https://api.example.test/tenant/123";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/..",
                "/../admin",
                "/a/../../admin",
                "/.",
                "/./admin",
                "/..;/..;/admin",
                "/..;/admin",
                "/.;/admin",
                "/..;x=1/admin",
                "/a/..;",
                "/.;a",
                "/..%3b/admin",
                "/..%3B/admin",
                "/.%3b/admin",
                "/..%3bx/admin",
                "/%2e%2e/admin",
                "/%2E%2E/admin",
                "/.%2e/admin",
                "/%2e./admin",
                "/%2e/admin",
                "/%2e%2e;/admin",
                "/%252e%252e/admin",
                "/..%2fadmin",
                "/..%2Fadmin",
                "/%2f%2fevil.test/x",
                "/..%5cadmin",
                "//evil.test/x",
                "/\\evil.test",
                "/a@evil.test",
                "http://evil.test/x",
                "evil.test/x",
                "",
                "/a#frag",
                "/a%00b",
                "/a\u0000b",
                "/caf\u00e9",
                "/a b",
                "/a;b=c/d",
                "/a;jsessionid=1",
            })
    void everyDotSegmentAndOriginEscapeIsRefused(String path) {
        assertThatThrownBy(() -> compose(path))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.VALIDATION));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v1/charges",
                "/...",
                "/.../x",
                "/..a",
                "/a..",
                "/.well-known/x",
                "/a.b/c",
                "/a%20b",
                "/~user/x",
                "/a:b/c",
                "/a%3bb",
            })
    void otherPathsAreSentByteForByteUnderTheBasePath(String path) {
        URI uri = compose(path);
        assertThat(uri.getRawPath()).isEqualTo("/tenant/123" + path);
        assertThat(uri.toString()).isEqualTo(BASE + path);
    }

    @Test
    void aQueryInThePathIsValidatedAndSentFirstThenTheQueryEntries() {
        String[] split = OutboundPaths.pathAndQuery("/v1/items?limit=2&sort=a%20b", "expand=x&expand=y");
        assertThat(split).containsExactly("/v1/items", "limit=2&sort=a%20b&expand=x&expand=y");
        assertThat(OutboundPaths.pathAndQuery("/v1/items?limit=2", null)).containsExactly("/v1/items", "limit=2");
        assertThat(OutboundPaths.pathAndQuery("/v1/items", "a=1")).containsExactly("/v1/items", "a=1");
        assertThatThrownBy(() -> OutboundPaths.pathAndQuery("/v1/items?a=\u00e9", null))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("path");
        assertThatThrownBy(() -> OutboundPaths.pathAndQuery("/../x?a=1", null)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest(name = "path \"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "none    | path: is required and must start with '/'",
                "v1/x    | path: must start with a single '/'",
                "/a?b    | path: must not contain '?' (put the query in 'query')",
                "/a@b    | path: must not contain '@'",
                "/a%     | path: has a '%' that does not start a percent-encoded byte",
                "/a%4    | path: has a '%' that does not start a percent-encoded byte",
                "/a%zz   | path: has a '%' that does not start a percent-encoded byte",
                "/a%2fb  | path: must not hide '/'",
                "/a%25b  | path: must not hide '/'",
                "/a%40b  | path: must not hide '/'",
                "/a%7Fb  | path: must not hide '/'",
                "/a%0ab  | path: must not hide '/'",
                "/a//b   | path: must not contain empty segments ('//')",
                "/a/b/   | ok",
                "/a;b    | path: must not contain ';'",
                "/a/../b | path: must not contain '.' or '..' segments",
                "/a b    | path: must be percent-encoded ASCII (character ' ' at 2)",
                "/a\tb   | path: must be percent-encoded ASCII (character U+0009 at 2)",
            })
    void eachRefusalSaysWhatIsWrongWithThePath(String path, String message) {
        if (message.equals("ok")) {
            assertThat(OutboundPaths.path(path)).isEqualTo(path);
        } else {
            assertThatThrownBy(() -> OutboundPaths.path(path))
                    .isInstanceOf(ApiException.class)
                    .hasMessageStartingWith(message);
        }
    }

    @Test
    void aPathOf4096CharactersIsTheLongest() {
        String longest = "/" + "a".repeat(4095);
        assertThat(OutboundPaths.path(longest)).isEqualTo(longest);
        assertThatThrownBy(() -> OutboundPaths.path(longest + "a")).hasMessage("path: must be at most 4096 characters");
    }

    @ParameterizedTest(name = "query \"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "none             | none",
                "''               | none",
                "a=1&b=2          | a=1&b=2",
                "q=a%20b&r=%E2%82%AC | q=a%20b&r=%E2%82%AC",
                "next=/v1?x@y     | next=/v1?x@y",
                "a=%              | !query: has a '%' that does not start a percent-encoded byte",
                "a=%g1            | !query: has a '%' that does not start a percent-encoded byte",
                "a=b#frag         | !query: must be percent-encoded ASCII without '#' (character '#')",
                "a=b c            | !query: must be percent-encoded ASCII without '#' (character ' ')",
                "a=\u00e9        | !query: must be percent-encoded ASCII without '#' (character U+00E9)",
            })
    void aRawQueryIsSentAsWrittenOrRefused(String query, String expected) {
        if (expected != null && expected.startsWith("!")) {
            assertThatThrownBy(() -> OutboundPaths.rawQuery(query, "query"))
                    .isInstanceOf(ApiException.class)
                    .hasMessage(expected.substring(1));
        } else {
            assertThat(OutboundPaths.rawQuery(query, "query")).isEqualTo(expected);
        }
    }

    @Test
    void aQueryOf8192CharactersIsTheLongest() {
        String longest = "a=" + "b".repeat(8190);
        assertThat(OutboundPaths.rawQuery(longest, "query")).isEqualTo(longest);
        assertThatThrownBy(() -> OutboundPaths.rawQuery(longest + "b", "query"))
                .hasMessage("query: must be at most 8192 characters");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "key     | abc      | key=abc",
                "api key | a b      | api%20key=a%20b",
                "k       | a+b&c=d  | k=a%2Bb%26c%3Dd",
                "k       | \u20ac  | k=%E2%82%AC",
                "k       | ''       | k=",
            })
    void queryEntriesAreEncodedWithSpacesAsPercent20(String name, String value, String encoded) {
        assertThat(OutboundPaths.encode(List.of(Map.entry(name, value)))).isEqualTo(encoded);
    }

    @ParameterizedTest(name = "{0} + {1} ? {2} + auth -> {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "https://api.example.test          | /v1/x | none | https://api.example.test/v1/x?api_key=s%20k",
                "https://api.example.test/         | /v1/x | a=1  | https://api.example.test/v1/x?a=1&api_key=s%20k",
                "https://api.example.test/base/    | /v1/x | none | https://api.example.test/base/v1/x?api_key=s%20k",
                "http://127.0.0.1:8089/base        | /v1/x | a=1  | http://127.0.0.1:8089/base/v1/x?a=1&api_key=s%20k",
            })
    void theBaseUrlsPathComesFirstAndInjectedQueryEntriesLast(String base, String path, String query, String uri) {
        assertThat(OutboundPaths.compose(base, path, query, List.of(Map.entry("api_key", "s k")))
                        .toString())
                .isEqualTo(uri);
    }

    private static URI compose(String path) {
        String[] split = OutboundPaths.pathAndQuery(path, null);
        return OutboundPaths.compose(BASE, split[0], split[1], List.of());
    }
}
