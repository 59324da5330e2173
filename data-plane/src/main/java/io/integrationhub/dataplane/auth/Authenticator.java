package io.integrationhub.dataplane.auth;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.validation.FieldError;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Authenticates a request and fixes its tenant: the bearer token must verify, grant the scope the
 * route needs, and name the same tenant as {@code X-Tenant-ID} (which may be omitted, the token's
 * tenant then applies). Sent more than once, every {@code X-Tenant-ID} must name the token's
 * tenant: which one counted would otherwise depend on the protocol (REST read the first, gRPC the
 * last) and on what any proxy in between checked. For the same reason a credential header
 * ({@code Authorization}, {@code Proxy-Authorization}) sent twice is refused outright.
 */
public final class Authenticator {
    public static final HeaderName TENANT_HEADER = HeaderNames.create("X-Tenant-ID");
    /** What a tenant id may look like, in a header or a token. */
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final TokenVerifier verifier;

    public Authenticator(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** The caller of a REST route, which must carry {@code Authorization: Bearer <jwt>}. */
    public Caller authenticate(ServerRequest req, Scope required) {
        String token = bearer(single(req, HeaderNames.AUTHORIZATION))
                .orElseThrow(() -> new ApiException(ProblemType.UNAUTHORIZED, "send Authorization: Bearer <token>"));
        return authorize(token, req.headers().all(TENANT_HEADER, List::of), required);
    }

    /**
     * Checks a token (from whichever header the route takes it) against the scope and every value
     * of the tenant header ({@code X-Tenant-ID}, gRPC {@code x-tenant-id}; none: the token's tenant).
     */
    public Caller authorize(String token, List<String> tenantHeaders, Scope required) {
        Caller caller;
        try {
            caller = verifier.verify(token);
        } catch (TokenVerifier.InvalidTokenException e) {
            throw new ApiException(ProblemType.UNAUTHORIZED, e.getMessage());
        }
        for (String value : tenantHeaders) {
            String tenant = value.trim();
            if (!TENANT.matcher(tenant).matches()) {
                throw ApiException.validation("X-Tenant-ID", "must be 1-63 letters, digits, '.', '_' or '-'");
            }
            if (!tenant.equals(caller.tenantId())) {
                throw new ApiException(ProblemType.TENANT_MISMATCH, "the token does not grant tenant " + tenant);
            }
        }
        if (!caller.has(required)) {
            throw new ApiException(ProblemType.FORBIDDEN, "the token lacks scope " + required.claim());
        }
        return caller;
    }

    /** The value of a credential header that may be sent at most once ({@link #single(List, String)}). */
    public static Optional<String> single(ServerRequest req, HeaderName header) {
        return single(req.headers().all(header, List::of), header.defaultCase());
    }

    /**
     * The one value of a credential header; none: empty. Two or more are refused (400 naming the
     * header) rather than picking one, as different hops may pick different ones.
     */
    public static Optional<String> single(List<String> values, String header) {
        if (values.size() > 1) {
            throw new ApiException(
                    ProblemType.MALFORMED_REQUEST,
                    header + " was sent " + values.size() + " times; send it once",
                    List.of(new FieldError(header, "sent more than once")));
        }
        return values.stream().findFirst();
    }

    /** The token of an {@code Authorization} or {@code Proxy-Authorization} value of scheme Bearer. */
    public static Optional<String> bearer(Optional<String> headerValue) {
        return headerValue
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(token -> !token.isEmpty());
    }
}
