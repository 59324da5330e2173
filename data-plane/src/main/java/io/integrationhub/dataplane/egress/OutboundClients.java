package io.integrationhub.dataplane.egress;

import io.helidon.webclient.api.WebClient;
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

    public OutboundClients(HostResolver resolver, DestinationPolicy policy, InsecureHttpGuard insecureHttp) {
        this.publicOnly = client(new GuardedDnsResolver(resolver, policy, false), insecureHttp);
        this.privateAllowed = client(new GuardedDnsResolver(resolver, policy, true), insecureHttp);
    }

    public WebClient forProvider(boolean allowPrivateNetwork) {
        return allowPrivateNetwork ? privateAllowed : publicOnly;
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
