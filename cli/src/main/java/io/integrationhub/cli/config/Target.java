package io.integrationhub.cli.config;

import java.net.URI;

/**
 * The hub a command talks to, resolved from the context and the environment. {@link #toString()}
 * never shows the token.
 *
 * @param context the context's name, or null when the environment alone named the hub
 * @param tenant the tenant sent as {@code X-Tenant-ID}, or null to let the token's tenant apply
 */
public record Target(String context, URI endpoint, String tenant, String token) {
    @Override
    public String toString() {
        return "Target[context=" + context + ", endpoint=" + endpoint + ", tenant=" + tenant + ", token=***]";
    }

    /** The same hub for another tenant (a document naming its own), or this one when {@code other} is null. */
    public Target forTenant(String other) {
        return other == null ? this : new Target(context, endpoint, other, token);
    }
}
