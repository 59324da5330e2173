package io.integrationhub.dataplane.egress;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The WebClient's resolver: the address returned here is the one the socket connects to, so the
 * policy check cannot be bypassed by a host name that resolves differently later (DNS rebinding).
 * The first permitted address is used; if none is permitted the connection is refused.
 */
final class GuardedDnsResolver implements DnsResolver {
    private final HostResolver resolver;
    private final DestinationPolicy policy;
    private final boolean allowPrivateNetwork;

    GuardedDnsResolver(HostResolver resolver, DestinationPolicy policy, boolean allowPrivateNetwork) {
        this.resolver = resolver;
        this.policy = policy;
        this.allowPrivateNetwork = allowPrivateNetwork;
    }

    @Override
    public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
        String host = hostname.startsWith("[") && hostname.endsWith("]")
                ? hostname.substring(1, hostname.length() - 1)
                : hostname;
        InetAddress[] addresses;
        try {
            InetAddress[] all = resolver.resolve(host);
            // The lookup preference (e.g. IPv4 first) orders the candidates; it must not hide any from the policy.
            InetAddress[] preferred = lookup.filter(all);
            addresses = preferred.length > 0 ? preferred : all;
        } catch (UnknownHostException e) {
            throw new UnresolvableHostException("host " + hostname + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (policy.permits(address, allowPrivateNetwork)) {
                return address;
            }
        }
        if (addresses.length == 0) {
            throw new UnresolvableHostException("host " + hostname + " does not resolve");
        }
        throw new ForbiddenDestinationException("host " + hostname + " resolves to an internal address ("
                + addresses[0].getHostAddress() + "); allow it with the provider's config.allowPrivateNetwork or"
                + " INTEGRATION_ALLOWED_CIDRS");
    }
}
