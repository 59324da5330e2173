package io.integrationhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.testkit.Canary;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of this module (see junit-platform.properties): the canary
 * credential the tests gave hubctl (in Secret documents, environment variables, files and provider
 * documents) appears in none of the stdout and stderr hubctl printed during the run, verbose runs
 * included, nor in any log line.
 */
@Tag("hub")
@Order(Integer.MAX_VALUE)
class SecretHygieneTest {
    @Test
    void theCanaryCredentialAppearsInNoCliOutputAndNoLogLine() {
        var journal = Canary.journal();
        var cli = journal.stream().filter(e -> e.source().startsWith("cli ")).toList();
        // The scan means something only if the run used the canary and showed the providers holding it.
        assertThat(cli).hasSizeGreaterThan(200);
        assertThat(cli).filteredOn(e -> e.source().contains(" apply ")).hasSizeGreaterThan(20);
        assertThat(cli).filteredOn(e -> e.source().contains(" -v")).isNotEmpty();
        assertThat(cli).filteredOn(e -> e.text().contains("\"token\": \"***\"")).isNotEmpty();
        assertThat(cli)
                .filteredOn(e -> e.text().contains("\"apiKey\": \"***\""))
                .isNotEmpty();
        assertThat(Canary.leaks()).as("outputs showing the canary secret").isEmpty();
    }
}
