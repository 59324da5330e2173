package io.integrationhub.dataplane.egress;

import io.integrationhub.dataplane.config.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a provider call may reach: public ones always; loopback, private (RFC 1918,
 * CGNAT, IPv6 unique-local), link-local (incl. the 169.254.169.254 metadata service), unspecified
 * and multicast ones only when the provider allows its private network or a configured CIDR covers
 * the address. IPv4-mapped and -compatible IPv6 forms are judged as the IPv4 address they carry.
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

    /** True for every address that is not on the public internet. */
    public static boolean isInternal(InetAddress address) {
        InetAddress effective = embeddedIpv4(address);
        if (effective.isLoopbackAddress() || effective.isAnyLocalAddress() || effective.isLinkLocalAddress()
                || effective.isSiteLocalAddress() || effective.isMulticastAddress()) {
            return true;
        }
        byte[] b = effective.getAddress();
        if (effective instanceof Inet4Address) {
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

    /** ::ffff:a.b.c.d and ::a.b.c.d carry an IPv4 address; judge that one. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        if (!mapped && !compatible) {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException impossible) {
            return address;
        }
    }
}
