package io.integrationhub.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.testkit.Canary;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of this module (see junit-platform.properties): the canary
 * credential that tests stored must appear in no HTTP answer and no log line of the whole run.
 */
@Order(Integer.MAX_VALUE)
class SecretHygieneTest {
    @Test
    void theCanaryCredentialAppearsInNoAnswerAndNoLogLine() {
        var journal = Canary.journal();
        // The scan means something only if the run stored the canary and showed the providers holding it.
        assertThat(journal).filteredOn(e -> e.source().startsWith("http ")).hasSizeGreaterThan(50);
        assertThat(journal).filteredOn(e -> e.text().contains("\"apiKey\":\"***\"")).isNotEmpty();
        assertThat(journal).filteredOn(e -> e.source().startsWith("log ")).isNotEmpty();
        assertThat(Canary.leaks()).as("entries showing the canary secret").isEmpty();
    }
}
