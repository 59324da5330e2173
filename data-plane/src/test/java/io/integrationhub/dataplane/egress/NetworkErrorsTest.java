package io.integrationhub.dataplane.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Details a caller reads: what happened, never an exception's message or an internal class name. */
class NetworkErrorsTest {
    private static final String SECRET = "Bearer s3cret-token";

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new ConnectException(SECRET), "connection refused"),
                Arguments.of(new UnknownHostException(SECRET), "host name not found (DNS)"),
                Arguments.of(new UnresolvableHostException(SECRET), "host name not found (DNS)"),
                Arguments.of(new NoRouteToHostException(SECRET), "no route to host"),
                Arguments.of(new SSLHandshakeException(SECRET), "TLS handshake failed"),
                Arguments.of(new SSLException(SECRET), "TLS handshake or session failed"),
                Arguments.of(new SocketTimeoutException(SECRET), "timed out"),
                Arguments.of(new IllegalStateException(SECRET), NetworkErrors.UNKNOWN));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failures")
    void describesTheCauseWhereverItSitsInTheChain(Exception cause, String expected) {
        Throwable wrapped = new UncheckedIOException(new IOException("wrapped: " + SECRET, cause));
        String described = NetworkErrors.describe(wrapped);
        assertThat(described).isEqualTo(expected);
        assertThat(described).doesNotContain("s3cret").doesNotContain("Exception");
    }
}
