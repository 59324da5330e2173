package io.integrationhub.dataplane.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.dlq.DeadLetterPurge;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The daily purge as two instances run it: one deletes the expired entries and logs how many. */
class ExpiredEntryPurgerTest {
    @Test
    void expiredEntriesArePurgedOnceADayByOneInstanceWhichLogsTheCount() {
        try (TestDatabase testDatabase = TestDatabase.create();
                Database one = Database.connectAndMigrate(testDatabase.settings());
                Database two = Database.connectAndMigrate(testDatabase.settings())) {
            Sealer sealer = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null));
            String providerId = new ProviderRepository(one.jdbi(), sealer, Clock.systemUTC())
                    .create(
                            "t1",
                            new ProviderValidator(false)
                                    .validateNew(Json.mapper()
                                            .createObjectNode()
                                            .put("name", "psp")
                                            .put("type", "payment")
                                            .put("baseUrl", "https://psp.example.test")
                                            .set(
                                                    "auth",
                                                    Json.mapper()
                                                            .createObjectNode()
                                                            .put("type", "none"))),
                            ManagedBy.API)
                    .id();
            DeadLetterRepository old = new DeadLetterRepository(
                    one.jdbi(),
                    sealer,
                    Clock.fixed(Instant.now().minus(Duration.ofDays(30)).minusSeconds(5), ZoneOffset.UTC));
            DeadLetterRepository current = new DeadLetterRepository(one.jdbi(), sealer, Clock.systemUTC());
            for (DeadLetterRepository repository : List.of(old, old, current)) {
                repository
                        .jdbi()
                        .useTransaction(handle -> repository.park(
                                handle,
                                "t1",
                                providerId,
                                "k-" + System.nanoTime(),
                                new FailedRequest("POST", "/x", null, Map.of(), null, new byte[0]),
                                new LastError("network", null, "refused"),
                                1));
            }
            List<String> lines = new CopyOnWriteArrayList<>();
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    lines.add(record.getMessage());
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            Logger logger = Logger.getLogger(ExpiredEntryPurger.class.getName());
            logger.addHandler(capture);
            try {
                ExpiredEntryPurger first = new ExpiredEntryPurger(new DeadLetterPurge(one.jdbi(), Clock.systemUTC()));
                ExpiredEntryPurger second = new ExpiredEntryPurger(new DeadLetterPurge(two.jdbi(), Clock.systemUTC()));
                assertThat(first.runIfDue()).hasValue(2);
                assertThat(second.runIfDue())
                        .as("the other instance, the same day")
                        .isEmpty();
                assertThat(first.runIfDue()).isEmpty();
            } finally {
                logger.removeHandler(capture);
            }
            assertThat(lines).containsExactly("dlq purge: deleted 2 expired dead letter(s)");
            long left = one.jdbi()
                    .withHandle(handle -> handle.createQuery("SELECT count(*) FROM dlq_entries")
                            .mapTo(Long.class)
                            .one());
            assertThat(left).isEqualTo(1);
        }
    }
}
