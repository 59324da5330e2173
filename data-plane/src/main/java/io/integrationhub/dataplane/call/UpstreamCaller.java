package io.integrationhub.dataplane.call;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.integrationhub.dataplane.egress.ForbiddenDestinationException;
import io.integrationhub.dataplane.egress.OutboundClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Sends one attempt to the provider and reads its whole answer within the attempt's timeout. */
final class UpstreamCaller {
    /** Larger provider answers are refused rather than held in memory. */
    static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

    private final OutboundClients clients;

    UpstreamCaller(OutboundClients clients) {
        this.clients = clients;
    }

    UpstreamAnswer call(boolean allowPrivateNetwork, String method, URI uri, Map<String, List<String>> headers, byte[] body,
            Duration timeout) throws AttemptFailedException {
        HttpClientRequest request = clients.forProvider(allowPrivateNetwork)
                .method(Method.create(method))
                // A String URI with encoding skipped is the one form Helidon sends byte for byte; the path and
                // query were validated to be ASCII and percent-encoded already.
                .uri(uri.toString())
                .skipUriEncoding(true)
                .readTimeout(timeout);
        headers.forEach((name, values) -> request.header(HeaderNames.create(name), values.toArray(String[]::new)));
        try (HttpClientResponse response = body.length > 0 ? request.submit(body) : request.request()) {
            List<Map.Entry<String, List<String>>> responseHeaders = new ArrayList<>();
            for (Header header : response.headers()) {
                responseHeaders.add(new AbstractMap.SimpleEntry<>(header.name(), header.allValues()));
            }
            byte[] responseBody = method.equals("HEAD") ? new byte[0]
                    : read(response.inputStream(), response.headers().contentLength().orElse(-1));
            return new UpstreamAnswer(response.status().code(), OutboundHeaders.fromProvider(responseHeaders), responseBody);
        } catch (ForbiddenDestinationException e) {
            throw new AttemptFailedException(AttemptFailedException.Kind.FORBIDDEN_DESTINATION, e.getMessage());
        } catch (AttemptFailedException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw classify(e);
        }
    }

    /** The whole body until EOF (which returns the connection to the pool); sized by Content-Length when declared. */
    private static byte[] read(InputStream in, long declared) throws IOException, AttemptFailedException {
        // Trust a declared length only up to 1 MiB up front: beyond that the buffer grows as bytes really arrive,
        // so a provider claiming a huge body cannot make the hub allocate it.
        byte[] buffer = new byte[declared >= 0 ? (int) Math.min(declared + 1, 1024 * 1024) : 8192];
        int size = 0;
        int read;
        while ((read = in.read(buffer, size, buffer.length - size)) != -1) {
            size += read;
            if (size == buffer.length) {
                if (buffer.length >= MAX_RESPONSE_BYTES) {
                    throw new AttemptFailedException(AttemptFailedException.Kind.RESPONSE_TOO_LARGE,
                            "the provider's answer is larger than " + MAX_RESPONSE_BYTES + " bytes");
                }
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_RESPONSE_BYTES));
            }
        }
        return Arrays.copyOf(buffer, size);
    }

    private static AttemptFailedException classify(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ForbiddenDestinationException forbidden) {
                return new AttemptFailedException(AttemptFailedException.Kind.FORBIDDEN_DESTINATION, forbidden.getMessage());
            }
            if (cause instanceof SocketTimeoutException) {
                return new AttemptFailedException(AttemptFailedException.Kind.TIMEOUT, "the provider did not answer in time");
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // Only the exception type: messages of network errors may repeat parts of the request.
        return new AttemptFailedException(AttemptFailedException.Kind.NETWORK, "network error: " + root.getClass().getSimpleName());
    }
}
