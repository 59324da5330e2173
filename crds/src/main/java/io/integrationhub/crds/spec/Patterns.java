package io.integrationhub.crds.spec;

/**
 * Regular expressions of the CRD schema. They catch malformed values at admission; the registry's
 * validator applies the full rules (https-only unless allowed, no query in baseUrl, reserved headers).
 * The operator applies {@link #TENANT_ID} and {@link #DNS_1123_SUBDOMAIN} (Secret names) itself: the
 * registry's document has neither, and admission may not have run these checks.
 */
public final class Patterns {
    /** An http(s) URL with a host and no user info, query or fragment. */
    public static final String HTTP_URL = "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$";
    /** An http(s) URL with a host and no user info or fragment (a token URL may carry a query). */
    public static final String HTTP_URL_WITH_QUERY = "^https?://[^\\s/?#@]+(/[^\\s#]*)?$";
    /** RFC 9110 token: a header or query parameter name. */
    public static final String TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
    /** A Kubernetes object name (DNS-1123 subdomain), as Secret names are. */
    public static final String DNS_1123_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A tenant id: letters, digits, '.', '_' and '-', starting and ending with a letter or digit. */
    public static final String TENANT_ID = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$";
    /** The longest tenant id: the data plane accepts no longer one in a token or X-Tenant-ID. */
    public static final int TENANT_ID_MAX_LENGTH = 63;

    private Patterns() {}
}
