package io.integrationhub.dataplane.egress;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Words for a failure to reach a peer, for details callers read. They name what happened and never
 * carry an exception's message (it may repeat parts of the request) or an internal class name.
 */
public final class NetworkErrors {
    /** Said when nothing in the cause chain is a failure we know. */
    public static final String UNKNOWN = "connection failed";

    private NetworkErrors() {}

    /** What this one cause means, or null when it is not a network failure we know. */
    public static String meaning(Throwable cause) {
        return switch (cause) {
            case ConnectException refused -> "connection refused";
            case UnknownHostException unknown -> "host name not found (DNS)";
            case UnresolvableHostException unresolvable -> "host name not found (DNS)";
            case NoRouteToHostException unreachable -> "no route to host";
            case SSLHandshakeException handshake -> "TLS handshake failed";
            case SSLException tls -> "TLS handshake or session failed";
            case SocketTimeoutException timeout -> "timed out";
            default -> null;
        };
    }

    /** The first known meaning along the cause chain, else {@link #UNKNOWN}. */
    public static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String meaning = meaning(cause);
            if (meaning != null) {
                return meaning;
            }
        }
        return UNKNOWN;
    }
}
