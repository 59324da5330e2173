package io.integrationhub.dataplane.egress;

import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ClientRequest;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;
import java.time.Duration;

/**
 * Two read timeouts for one outbound request: the request's own read timeout bounds the wait for the
 * answer's status and headers, then this service sets the connection's read timeout to the
 * provider's stream idle timeout for the answer's body. A streamed answer (server-sent events, a
 * large download) is so bounded by the silence between its chunks, never by its whole length.
 *
 * <p>Changing a pooled connection's timeout is safe: every request sets its own read timeout on the
 * connection it obtains before sending.
 */
public final class StreamIdleTimeout implements WebClientService {
    private static final String PROPERTY = "integration.stream-idle-timeout-ms";

    /** Asks for {@code idle} as the read timeout of {@code request}'s answer body. */
    public static <T extends ClientRequest<T>> T request(T request, Duration idle) {
        return request.property(PROPERTY, Long.toString(idle.toMillis()));
    }

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        WebClientServiceResponse response = chain.proceed(request);
        String idle = request.properties().get(PROPERTY);
        if (idle != null && response.connection() instanceof ClientConnection connection) {
            connection.readTimeout(Duration.ofMillis(Long.parseLong(idle)));
        }
        return response;
    }
}
