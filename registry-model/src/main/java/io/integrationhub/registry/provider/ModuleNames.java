package io.integrationhub.registry.provider;

import java.util.regex.Pattern;

/**
 * The one rule for a module's name, shared by the callers' tokens (a claim that breaks it is passed
 * over) and the providers' fair-share rules ({@code priorities}, {@code moduleLimits}, which refuse
 * it): 1-64 letters, digits or {@code . _ : @ -}, starting with a letter or digit. Plain, because it
 * names the caller in logs, spans and metric labels; no {@code /}, so a label never looks like a path.
 */
public final class ModuleNames {
    public static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}");

    private ModuleNames() {}

    public static boolean isPlain(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }
}
