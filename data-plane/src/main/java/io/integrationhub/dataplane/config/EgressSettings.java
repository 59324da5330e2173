package io.integrationhub.dataplane.config;

import java.util.List;

/**
 * Which providers' addresses the hub may call.
 *
 * @param allowInsecureHttp http:// base URLs accepted (INTEGRATION_ALLOW_INSECURE_HTTP)
 * @param allowedCidrs      private ranges a provider may resolve to (INTEGRATION_ALLOWED_CIDRS)
 */
public record EgressSettings(boolean allowInsecureHttp, List<Cidr> allowedCidrs) {
    public EgressSettings {
        allowedCidrs = List.copyOf(allowedCidrs);
    }

    @Override
    public String toString() {
        return "Egress[allowInsecureHttp=" + allowInsecureHttp + ", allowedCidrs=" + allowedCidrs.size() + "]";
    }
}
