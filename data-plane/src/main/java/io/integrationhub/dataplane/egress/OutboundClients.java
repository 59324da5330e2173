package io.integrationhub.dataplane.egress;

import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import java.time.Duration;

/**
 * The two outbound WebClients: one for providers that must stay on the public internet, one for
 * those allowed on the private network. Separate clients keep separate connection pools, so a
 * pooled connection never crosses from one policy to the other. Redirects are never followed: a
 * provider's 3xx is its answer, and following it could lead anywhere. Plain http is refused by
 * {@link InsecureHttpGuard} unless allowed.
 */
public final class OutboundClients {
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final WebClient publicOnly;
    private final WebClient privateAllowed;
    private final Http1Client publicOnlyHttp1;
    private final Http1Client privateAllowedHttp1;

    public OutboundClients(HostResolver resolver, DestinationPolicy policy, InsecureHttpGuard insecureHttp) {
        this.publicOnly = client(new GuardedDnsResolver(resolver, policy, false), insecureHttp);
        this.privateAllowed = client(new GuardedDnsResolver(resolver, policy, true), insecureHttp);
        this.publicOnlyHttp1 = publicOnly.client(Http1Client.PROTOCOL);
        this.privateAllowedHttp1 = privateAllowed.client(Http1Client.PROTOCOL);
    }

    public WebClient forProvider(boolean allowPrivateNetwork) {
        return allowPrivateNetwork ? privateAllowed : publicOnly;
    }

    /**
     * The same client's HTTP/1.1 protocol client, made once from the same configuration (the same services,
     * DNS guard, timeouts and no redirects): the one protocol the hub speaks to providers. A call sent
     * through it skips the generic request's per-call work (a protocol lookup in an LRU cache under a lock,
     * and a second request object with a copy of every header), about a tenth of the hub's CPU under
     * WebClient in the profile of issue 19.
     */
    public Http1Client http1ForProvider(boolean allowPrivateNetwork) {
        return allowPrivateNetwork ? privateAllowedHttp1 : publicOnlyHttp1;
    }

    private static WebClient client(GuardedDnsResolver resolver, InsecureHttpGuard insecureHttp) {
        return WebClient.builder()
                .addService(insecureHttp)
                .addService(new StreamIdleTimeout())
                .dnsResolver(resolver)
                .followRedirects(false)
                .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                .sendExpectContinue(false)
                .build();
    }
}
