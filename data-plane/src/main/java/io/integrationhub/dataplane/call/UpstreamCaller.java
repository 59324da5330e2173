package io.integrationhub.dataplane.call;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.egress.ForbiddenDestinationException;
import io.integrationhub.dataplane.egress.NetworkErrors;
import io.integrationhub.dataplane.egress.OutboundClients;
import io.integrationhub.dataplane.egress.StreamIdleTimeout;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends one attempt to the provider: the request body streamed from its buffer with its exact
 * Content-Length, and the answer's status and headers read within the attempt's timeout. The
 * answer's body is left open for the attempt loop to decide on.
 */
class UpstreamCaller {
    private final OutboundClients clients;

    UpstreamCaller(OutboundClients clients) {
        this.clients = clients;
    }

    /**
     * {@code timeout} bounds the wait for the answer's status and headers (no byte for that long ends the
     * attempt), {@code streamIdle} each silence between chunks of the answer's body after them.
     */
    UpstreamAnswer call(
            boolean allowPrivateNetwork,
            String method,
            URI uri,
            Map<String, List<String>> headers,
            Body body,
            Duration timeout,
            Duration streamIdle)
            throws AttemptFailedException {
        Http1ClientRequest request = clients.http1ForProvider(allowPrivateNetwork)
                .method(Method.create(method))
                // A String URI with encoding skipped is the one form Helidon sends byte for byte; the path and
                // query were validated to be ASCII and percent-encoded already.
                .uri(uri.toString())
                .skipUriEncoding(true)
                .readTimeout(timeout);
        StreamIdleTimeout.request(request, streamIdle);
        headers.forEach((name, values) -> request.header(HeaderNames.create(name), values));
        HttpClientResponse response = null;
        try {
            if (body.size() > 0) {
                request.header(HeaderNames.CONTENT_LENGTH, Long.toString(body.size()));
                response = request.outputStream(out -> {
                    try (InputStream in = body.open()) {
                        in.transferTo(out);
                    }
                    out.close();
                });
            } else {
                response = request.request();
            }
            List<Map.Entry<String, List<String>>> responseHeaders = new ArrayList<>();
            for (Header header : response.headers()) {
                responseHeaders.add(new AbstractMap.SimpleEntry<>(header.name(), header.allValues()));
            }
            boolean noBody = method.equals("HEAD")
                    || response.status().code() == 204
                    || response.status().code() == 304;
            long declared = noBody ? 0 : response.headers().contentLength().orElse(-1);
            InputStream in = noBody ? InputStream.nullInputStream() : response.inputStream();
            return new UpstreamAnswer(
                    response.status().code(),
                    OutboundHeaders.fromProvider(responseHeaders),
                    declared,
                    in,
                    response::close);
        } catch (ForbiddenDestinationException e) {
            throw new AttemptFailedException(AttemptFailedException.Kind.FORBIDDEN_DESTINATION, e.getMessage());
        } catch (RuntimeException e) {
            if (response != null) {
                response.close();
            }
            throw classify(e, uri);
        }
    }

    /**
     * What went wrong, naming the destination and the cause but never the exception's message
     * (a network error's message may repeat parts of the request).
     */
    static AttemptFailedException classify(Throwable e, URI uri) {
        String where = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ForbiddenDestinationException forbidden) {
                return new AttemptFailedException(
                        AttemptFailedException.Kind.FORBIDDEN_DESTINATION, forbidden.getMessage());
            }
            if (cause instanceof SocketTimeoutException) {
                return new AttemptFailedException(
                        AttemptFailedException.Kind.TIMEOUT, "the provider at " + where + " did not answer in time");
            }
            String what = NetworkErrors.meaning(cause);
            if (what != null) {
                // Without a connection, an address or a TLS session no byte of the request left the hub; a TLS
                // failure after the handshake may follow a sent request, so only the handshake counts.
                boolean nothingSent = !(cause instanceof SSLException) || cause instanceof SSLHandshakeException;
                return new AttemptFailedException(
                        AttemptFailedException.Kind.NETWORK,
                        "network error calling " + where + ": " + what,
                        nothingSent);
            }
        }
        return new AttemptFailedException(
                AttemptFailedException.Kind.NETWORK, "network error calling " + where + ": " + NetworkErrors.UNKNOWN);
    }
}
