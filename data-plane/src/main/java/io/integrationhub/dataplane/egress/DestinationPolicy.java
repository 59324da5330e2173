package io.integrationhub.dataplane.egress;

import io.integrationhub.dataplane.config.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which addresses a provider call may reach: public ones always; loopback, private (RFC 1918,
 * CGNAT, IPv6 unique-local), link-local (incl. the 169.254.169.254 metadata service), unspecified
 * and multicast ones only when the provider allows its private network or a configured CIDR covers
 * the address. IPv6 forms that deliver to an IPv4 address (mapped, NAT64, 6to4, Teredo) are judged
 * by that IPv4 address as well.
 */
public final class DestinationPolicy {
    private final List<Cidr> allowedCidrs;

    public DestinationPolicy(List<Cidr> allowedCidrs) {
        this.allowedCidrs = List.copyOf(allowedCidrs);
    }

    public boolean permits(InetAddress address, boolean allowPrivateNetwork) {
        if (allowPrivateNetwork || !isInternal(address)) {
            return true;
        }
        return allowedCidrs.stream().anyMatch(cidr -> cidr.contains(address));
    }

    /**
     * True for every address that is not on the public internet, or that stands for (NAT64, 6to4,
     * Teredo, mapped) an IPv4 address that is not; see {@link EmbeddedIpv4}.
     */
    public static boolean isInternal(InetAddress address) {
        return isInternalItself(address)
                || EmbeddedIpv4.in(address).stream().anyMatch(DestinationPolicy::isInternalItself);
    }

    private static boolean isInternalItself(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        return (b[0] & 0xfe) == 0xfc // unique local fc00::/7
                || ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0); // deprecated site-local fec0::/10
    }
}
