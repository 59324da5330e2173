package io.integrationhub.dataplane.egress;

import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;
import java.util.Locale;

/**
 * Refuses every outbound request over plain {@code http://} unless {@code INTEGRATION_ALLOW_INSECURE_HTTP}
 * is true now. The flag guards provider writes, but a provider stored while it was on (or written
 * straight into the registry) would otherwise stay callable after a restart without it; this is the
 * run-time half, covering calls, DLQ replays and OAuth2 token requests alike.
 */
public final class InsecureHttpGuard implements WebClientService {
    public static final String SETTING = "INTEGRATION_ALLOW_INSECURE_HTTP";

    private final boolean allowInsecureHttp;

    public InsecureHttpGuard(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    /** Whether a URL of this scheme may be called now. */
    public boolean permits(String scheme) {
        return allowInsecureHttp || !"http".equals(scheme == null ? null : scheme.toLowerCase(Locale.ROOT));
    }

    /** Why a plain-http destination is refused; names the setting, never the URL (its query may hold a key). */
    public static String refusal(String host) {
        return "http://" + host + " is not called: plain http is refused while " + SETTING + " is not true";
    }

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        if (!permits(request.uri().scheme())) {
            throw new ForbiddenDestinationException(refusal(request.uri().host()));
        }
        return chain.proceed(request);
    }
}
