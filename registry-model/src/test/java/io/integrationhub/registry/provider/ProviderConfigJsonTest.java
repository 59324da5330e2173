package io.integrationhub.registry.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored and served JSON of a provider's config, to the letter: the registry's config column, the
 * REST API and the CRD mapping all read this shape, so a change to how the record is built must not move it.
 */
class ProviderConfigJsonTest {
    private static final String DEFAULTS = "{\"timeoutMs\":10000,"
            + "\"retry\":{\"maxAttempts\":5,\"baseDelayMs\":1000,\"multiplier\":2.0,\"jitterMs\":500,\"budgetPercent\":20},"
            + "\"circuitBreaker\":{\"failureThreshold\":5,\"failureWindowSec\":30,\"openSec\":60,\"halfOpenProbes\":1},"
            + "\"defaultHeaders\":{},\"allowPrivateNetwork\":false}";

    private static final String FULL = "{\"timeoutMs\":2000,\"rateLimitPerSec\":40,"
            + "\"retry\":{\"maxAttempts\":3,\"baseDelayMs\":100,\"multiplier\":1.5,\"jitterMs\":10,\"budgetPercent\":10},"
            + "\"circuitBreaker\":{\"failureThreshold\":4,\"failureWindowSec\":20,\"openSec\":30,\"halfOpenProbes\":2},"
            + "\"maxConcurrency\":8,\"defaultHeaders\":{\"X-A\":\"1\"},\"allowPrivateNetwork\":true,"
            + "\"streamIdleTimeoutMs\":60000,\"failover\":{\"to\":[\"backup\"],\"onStatus\":[503]},"
            + "\"priorities\":{\"reports\":\"batch\"},"
            + "\"priorityShares\":{\"critical\":1.0,\"default\":0.8,\"batch\":0.25},"
            + "\"moduleLimits\":{\"ledger\":6},\"maxQueueMs\":500}";

    static ProviderConfig full() {
        return ProviderConfig.builder()
                .timeoutMs(2000)
                .rateLimitPerSec(40)
                .retry(new ProviderConfig.Retry(3, 100, 1.5, 10, 10))
                .circuitBreaker(new ProviderConfig.CircuitBreaker(4, 20, 30, 2))
                .maxConcurrency(8)
                .defaultHeaders(Map.of("X-A", "1"))
                .allowPrivateNetwork(true)
                .streamIdleTimeoutMs(60_000)
                .failover(new ProviderConfig.Failover(List.of("backup"), List.of(503)))
                .priorities(Map.of("reports", ProviderConfig.Priority.BATCH))
                .priorityShares(new ProviderConfig.PriorityShares(1.0, 0.8, 0.25))
                .moduleLimits(Map.of("ledger", 6))
                .maxQueueMs(500)
                .build();
    }

    @Test
    void theDefaultsWriteOnlyWhatIsSet() {
        assertThat(ProviderJson.config(ProviderConfig.defaults()).toString()).isEqualTo(DEFAULTS);
        assertThat(ProviderJson.readConfig(DEFAULTS)).isEqualTo(ProviderConfig.defaults());
    }

    @Test
    void everyFieldKeepsItsNameAndRoundTrips() {
        assertThat(ProviderJson.config(full()).toString()).isEqualTo(FULL);
        assertThat(ProviderJson.readConfig(FULL)).isEqualTo(full());
    }

    @Test
    void theBuilderStartsFromTheDefaultsAndToBuilderChangesOnlyWhatItSets() {
        assertThat(ProviderConfig.builder().build()).isEqualTo(ProviderConfig.defaults());
        assertThat(full().toBuilder().build()).isEqualTo(full());
        ProviderConfig queueing = full().toBuilder().maxQueueMs(null).build();
        assertThat(queueing.maxQueueMs()).isNull();
        assertThat(queueing.toBuilder().maxQueueMs(500).build()).isEqualTo(full());
    }

    @Test
    void aConfigStoredBeforeTheFairShareFieldsStillReads() {
        ProviderConfig read = ProviderJson.readConfig("{\"timeoutMs\":2000,\"allowPrivateNetwork\":true}");
        assertThat(read.timeoutMs()).isEqualTo(2000);
        assertThat(read.allowPrivateNetwork()).isTrue();
        assertThat(read.priorities()).isEmpty();
        assertThat(read.moduleLimits()).isEmpty();
        assertThat(read.defaultHeaders()).isEmpty();
        assertThat(read.priorityShares()).isNull();
        assertThat(read.maxQueueMs()).isNull();
    }
}
