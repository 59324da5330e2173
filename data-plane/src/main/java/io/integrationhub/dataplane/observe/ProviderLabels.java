package io.integrationhub.dataplane.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code provider} label value of a provider's series, capped: the first {@code max} providers
 * seen get their own id, every later one shares {@link #OTHER}. Without a cap every provider ever
 * called adds ~5 KB to each scrape for the life of the process (500 providers: 2.8 MB), so whoever
 * may create providers decides the scrape size and the label cardinality of the Prometheus server.
 * The {@code module} label is capped the same way (a token's {@code sub} may stand in for its module).
 */
final class ProviderLabels {
    /** The one label value of every provider past the cap. */
    static final String OTHER = "_other";

    private final int max;
    private final Set<String> own = ConcurrentHashMap.newKeySet();

    ProviderLabels(int max) {
        this.max = max;
    }

    String of(String providerId) {
        if (own.contains(providerId)) {
            return providerId;
        }
        synchronized (own) {
            if (own.size() < max) {
                own.add(providerId);
                return providerId;
            }
        }
        return OTHER;
    }

    /** Whether the provider has series of its own (a gauge of one provider's state cannot be aggregated). */
    boolean hasOwn(String providerId) {
        return of(providerId).equals(providerId);
    }
}
