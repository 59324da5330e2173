package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.egress.UnresolvableHostException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Which failures prove that no byte of the request reached the provider: only those may move a call on. */
class NothingSentTest {
    private static final URI URI_ = URI.create("https://p.test/v1/x");

    private static AttemptFailedException classify(Exception cause) {
        return UpstreamCaller.classify(new UncheckedIOException(new java.io.IOException("wrapped", cause)), URI_);
    }

    @Test
    void noConnectionNoAddressNoTlsSessionProveNothingWasSent() {
        assertThat(classify(new ConnectException("Connection refused")).nothingSent())
                .isTrue();
        assertThat(classify(new UnknownHostException("p.test")).nothingSent()).isTrue();
        assertThat(classify(new UnresolvableHostException("host p.test does not resolve")))
                .satisfies(failure -> assertThat(failure.nothingSent()).isTrue())
                .satisfies(failure -> assertThat(failure.getMessage()).endsWith(": host name not found (DNS)"));
        assertThat(classify(new NoRouteToHostException("unreachable")).nothingSent())
                .isTrue();
        assertThat(classify(new SSLHandshakeException("bad certificate")).nothingSent())
                .isTrue();
    }

    @Test
    void anythingElseMayFollowASentRequest() {
        assertThat(classify(new SocketTimeoutException("read timed out")).nothingSent())
                .isFalse();
        assertThat(classify(new SocketException("Connection reset")).nothingSent())
                .isFalse();
        assertThat(classify(new SSLException("session closed")).nothingSent()).isFalse();
        assertThat(classify(new IllegalStateException("anything")).nothingSent())
                .isFalse();
    }

    @Test
    void aDetailNamesNeitherTheMessageNorTheClassOfAnUnknownFailure() {
        assertThat(classify(new IllegalStateException("Bearer s3cret")).getMessage())
                .isEqualTo("network error calling https://p.test: connection failed");
    }
}
