package io.integrationhub.dataplane.config;

/**
 * Metrics and traces.
 *
 * @param otlpEndpoint        where traces go (INTEGRATION_OTLP_ENDPOINT), or null: tracing off
 * @param metricsToken        bearer token /metrics requires, or null for none (INTEGRATION_METRICS_TOKEN)
 * @param metricsMaxProviders provider ids exported as metric labels, the rest aggregated (INTEGRATION_METRICS_MAX_PROVIDERS)
 */
public record Observability(String otlpEndpoint, String metricsToken, int metricsMaxProviders) {
    public static final int DEFAULT_METRICS_MAX_PROVIDERS = 200;

    @Override
    public String toString() {
        // The metrics token is a secret.
        return "Observability[otlp=" + otlpEndpoint + ", metricsToken=" + (metricsToken != null)
                + ", metricsMaxProviders=" + metricsMaxProviders + "]";
    }
}
