package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.ProblemType;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No spelling of a path may reach anything outside the provider's base path. */
class OutboundPathsTest {
    private static final String BASE = "https://api.example.test/tenant/123";

    @ParameterizedTest
    @ValueSource(strings = {
        "/..", "/../admin", "/a/../../admin", "/.", "/./admin",
        "/..;/..;/admin", "/..;/admin", "/.;/admin", "/..;x=1/admin", "/a/..;", "/.;a",
        "/..%3b/admin", "/..%3B/admin", "/.%3b/admin", "/..%3bx/admin",
        "/%2e%2e/admin", "/%2E%2E/admin", "/.%2e/admin", "/%2e./admin", "/%2e/admin", "/%2e%2e;/admin",
        "/%252e%252e/admin", "/..%2fadmin", "/..%2Fadmin", "/%2f%2fevil.test/x", "/..%5cadmin",
        "//evil.test/x", "/\\evil.test", "/a@evil.test", "http://evil.test/x", "evil.test/x", "",
        "/a#frag", "/a%00b", "/a\u0000b", "/caf\u00e9", "/a b", "/a;b=c/d", "/a;jsessionid=1",
    })
    void everyDotSegmentAndOriginEscapeIsRefused(String path) {
        assertThatThrownBy(() -> compose(path)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.type()).isEqualTo(ProblemType.VALIDATION));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/charges", "/...", "/.../x", "/..a", "/a..", "/.well-known/x", "/a.b/c",
        "/a%20b", "/~user/x", "/a:b/c", "/a%3bb",
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
        assertThatThrownBy(() -> OutboundPaths.pathAndQuery("/v1/items?a=\u00e9", null)).isInstanceOf(ApiException.class)
                .hasMessageContaining("path");
        assertThatThrownBy(() -> OutboundPaths.pathAndQuery("/../x?a=1", null)).isInstanceOf(ApiException.class);
    }

    private static URI compose(String path) {
        String[] split = OutboundPaths.pathAndQuery(path, null);
        return OutboundPaths.compose(BASE, split[0], split[1], List.of());
    }
}
