package io.integrationhub.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.SuiteCounts;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of this module (see junit-platform.properties): the canary
 * credential that tests stored (provider credentials, and headers, query and bodies of calls that
 * ended in the DLQ) must appear, in no form (plaintext, base64, URL/percent-encoded, hex), in any
 * HTTP or gRPC answer (messages, statuses, trailers), any Kafka event a hub of the run published,
 * any log line, or any row of any database the run created (scanned as each was dropped).
 */
@Tag("hub")
@Order(Integer.MAX_VALUE)
class SecretHygieneTest {
    @Test
    void theCanaryCredentialAppearsInNoAnswerEventLogLineOrStoredRow() {
        TestDatabase.live().forEach(TestDatabase::scanForCanary); // any a test did not drop
        var journal = Canary.journal();
        CanaryFindings findings = CanaryFindings.of(journal, Canary.databaseScans());
        SuiteCounts.print("secret hygiene", findings.summary());

        assertThat(Canary.scanFailures()).as("what could not be scanned").isEmpty();
        // The scan means something only if the run stored the canary and showed, sent and kept what holds it.
        assertThat(findings.entries("http")).isGreaterThan(50);
        assertThat(findings.entries("grpc")).isGreaterThan(50);
        assertThat(findings.entries("log")).isPositive();
        assertThat(journal)
                .filteredOn(e -> e.source().startsWith("http "))
                .anyMatch(e -> e.text().contains("\"apiKey\":\"***\""));
        assertThat(journal)
                .filteredOn(e -> e.source().startsWith("grpc "))
                .anyMatch(e -> e.text().contains("\"apiKey\": \"***\""));
        assertThat(journal)
                .filteredOn(e -> e.source().startsWith("kafka "))
                .anyMatch(e -> e.text().contains("dlq.entry.created"))
                .anyMatch(e -> e.text().contains("provider.created"));
        assertThat(findings.databases()).isGreaterThan(10);
        for (String table : List.of("providers", "dlq_entries", "idempotency_records", "outbox", "dlq_retry_batches")) {
            assertThat(findings.rows(table)).as("rows of %s scanned", table).isPositive();
        }

        assertThat(findings.hits())
                .as("answers, events, log lines and rows showing the canary")
                .isEmpty();
    }

    @Test
    void everyGrpcChannelOfThisModulesTestsIsAGrpcClientWhichRecordsWhatItReceives() throws IOException {
        Path sources = Path.of("src/test/java");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> building = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !Set.of("GrpcClient.java", "SecretHygieneTest.java")
                            .contains(f.getFileName().toString()))
                    .filter(f -> {
                        try {
                            String source = Files.readString(f);
                            return source.contains("ChannelBuilder") || source.contains("ManagedChannel ");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertThat(building)
                    .as("test classes opening gRPC channels without GrpcClient")
                    .isEmpty();
        }
    }
}
