package io.integrationhub.crds.spec;

/**
 * Regular expressions of the CRD schema. They catch malformed values at admission; the registry's
 * validator applies the full rules (https-only unless allowed, no query in baseUrl, reserved headers).
 */
final class Patterns {
    /** An http(s) URL with a host and no user info, query or fragment. */
    static final String HTTP_URL = "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$";
    /** An http(s) URL with a host and no user info or fragment (a token URL may carry a query). */
    static final String HTTP_URL_WITH_QUERY = "^https?://[^\\s/?#@]+(/[^\\s#]*)?$";
    /** RFC 9110 token: a header or query parameter name. */
    static final String TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
    /** A Kubernetes object name (DNS-1123 subdomain), as Secret names are. */
    static final String DNS_1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A tenant id: letters, digits, '.', '_' and '-', starting and ending with a letter or digit. */
    static final String TENANT_ID = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$";

    private Patterns() {}
}
