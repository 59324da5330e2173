package io.integrationhub.dataplane.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to its addresses; the system resolver in production, a fixed table in tests. */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
