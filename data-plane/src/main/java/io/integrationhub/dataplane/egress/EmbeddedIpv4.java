package io.integrationhub.dataplane.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 addresses an IPv6 address stands for. A packet to one of these IPv6 forms is delivered
 * (by a translator, relay or tunnel) to the IPv4 address inside it, so the SSRF guard has to judge
 * that one: {@code 64:ff9b::10.0.0.1} reaches 10.0.0.1 wherever a NAT64 gateway runs.
 * <ul>
 *   <li>IPv4-mapped {@code ::ffff:a.b.c.d} and IPv4-compatible {@code ::a.b.c.d};</li>
 *   <li>NAT64 well-known prefix {@code 64:ff9b::/96} (RFC 6052): the last 32 bits;</li>
 *   <li>NAT64 local-use prefix {@code 64:ff9b:1::/48} (RFC 8215): the operator chooses the prefix
 *       length (/48 to /96), which the address does not reveal, so every RFC 6052 position counts;</li>
 *   <li>6to4 {@code 2002::/16} (RFC 3056): bits 16-47;</li>
 *   <li>Teredo {@code 2001::/32} (RFC 4380): the server (bits 32-63) and the client, stored
 *       inverted in the last 32 bits.</li>
 * </ul>
 */
final class EmbeddedIpv4 {
    /** Where the four IPv4 octets sit for each RFC 6052 prefix length; octet 8 (bits 64-71) is always skipped. */
    private static final int[][] RFC6052_POSITIONS = {
        {6, 7, 9, 10}, // /48
        {7, 9, 10, 11}, // /56
        {9, 10, 11, 12}, // /64
        {10, 11, 12, 13}, // /72
        {11, 12, 13, 14}, // /80
        {12, 13, 14, 15}, // /96
    };

    private EmbeddedIpv4() {}

    /** The IPv4 addresses {@code address} may deliver to; empty for an IPv4 address or a plain IPv6 one. */
    static List<InetAddress> in(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return List.of();
        }
        byte[] b = address.getAddress();
        List<InetAddress> found = new ArrayList<>();
        if (zero(b, 0, 10)
                && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || b[10] == 0 && b[11] == 0 && !zero(b, 12, 15))) {
            found.add(ipv4(b, 12, 13, 14, 15)); // mapped or compatible (:: and ::1 are judged as IPv6)
        } else if (word(b, 0) == 0x0064 && word(b, 2) == 0xff9b && zero(b, 4, 12)) {
            found.add(ipv4(b, 12, 13, 14, 15)); // NAT64 well-known prefix
        } else if (word(b, 0) == 0x0064 && word(b, 2) == 0xff9b && word(b, 4) == 0x0001) {
            for (int[] octets : RFC6052_POSITIONS) {
                found.add(ipv4(b, octets));
            }
        } else if (word(b, 0) == 0x2002) {
            found.add(ipv4(b, 2, 3, 4, 5)); // 6to4
        } else if (word(b, 0) == 0x2001 && word(b, 2) == 0x0000) {
            found.add(ipv4(b, 4, 5, 6, 7)); // Teredo server
            byte[] client = {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
            found.add(ipv4(client, 0, 1, 2, 3));
        }
        return found;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static InetAddress ipv4(byte[] b, int... octets) {
        try {
            return InetAddress.getByAddress(new byte[] {b[octets[0]], b[octets[1]], b[octets[2]], b[octets[3]]});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are always an IPv4 address", impossible);
        }
    }
}
