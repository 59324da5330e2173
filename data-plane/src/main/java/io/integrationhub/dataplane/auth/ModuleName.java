package io.integrationhub.dataplane.auth;

import io.integrationhub.registry.provider.ModuleNames;

/**
 * Which module of the platform a call is made for: the caller's token claim {@code module}, else
 * its {@code sub}, else {@value #UNKNOWN}. It names the caller in access logs, spans and metrics,
 * so it must be short and plain: a claim that is not 1-64 letters, digits or {@code . _ : @ -}
 * (starting with a letter or digit; no {@code /}, so a label never looks like a path) is passed
 * over like a missing one.
 */
public final class ModuleName {
    /** The module of a token that names none usable. */
    public static final String UNKNOWN = Caller.UNKNOWN_MODULE;

    private ModuleName() {}

    /** The module of a token with these {@code module} and {@code sub} claims (either may be null). */
    public static String of(Object moduleClaim, String subject) {
        if (moduleClaim instanceof String module && ModuleNames.isPlain(module)) {
            return module;
        }
        if (ModuleNames.isPlain(subject)) {
            return subject;
        }
        return UNKNOWN;
    }
}
