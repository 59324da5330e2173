package io.integrationhub.cli.output;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/** {@code -o}: an aligned table for people (the default), JSON or YAML for scripts. */
public enum OutputFormat {
    TABLE,
    JSON,
    YAML;

    /** The lower-case names, for help texts and shell completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values())
                    .map(f -> f.name().toLowerCase(Locale.ROOT))
                    .iterator();
        }
    }
}
