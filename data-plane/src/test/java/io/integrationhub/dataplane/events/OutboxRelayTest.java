package io.integrationhub.dataplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.registry.Json;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.outbox.OutboxEvent;
import io.integrationhub.registry.outbox.OutboxStore;
import io.integrationhub.registry.outbox.OutboxWriter;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox relay with recording publishers, against the real local PostgreSQL. */
class OutboxRelayTest {
    private static TestDatabase testDatabase;
    private static Database database;
    private static OutboxStore store;
    private static final OutboxWriter WRITER = new OutboxWriter(Clock.systemUTC());

    @BeforeAll
    static void start() {
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        store = new OutboxStore(database.jdbi());
    }

    @AfterAll
    static void stop() {
        database.close();
        testDatabase.close();
    }

    @BeforeEach
    void empty() {
        database.jdbi().useHandle(handle -> handle.execute("DELETE FROM outbox"));
    }

    /** Remembers what it was given; fails the first {@code failures} calls. */
    static final class RecordingPublisher implements EventPublisher {
        final List<OutboxEvent> published = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        private final int failures;

        RecordingPublisher(int failures) {
            this.failures = failures;
        }

        @Override
        public void publish(List<OutboxEvent> events) throws IOException {
            if (calls.incrementAndGet() <= failures) {
                throw new IOException("broker unreachable");
            }
            published.addAll(events);
        }

        @Override
        public void close() {}
    }

    private static List<Long> append(int count, String... keys) {
        return database.jdbi().inTransaction(handle -> {
            for (int i = 0; i < count; i++) {
                WRITER.append(
                        handle,
                        keys[i % keys.length],
                        "provider.updated",
                        "t1",
                        Json.mapper()
                                .createObjectNode()
                                .put("providerId", keys[i % keys.length])
                                .put("n", i));
            }
            return handle.createQuery("SELECT seq FROM outbox ORDER BY seq")
                    .mapTo(Long.class)
                    .list();
        });
    }

    private static OutboxRelay relay(EventPublisher publisher) {
        return new OutboxRelay(store, publisher, Clock.systemUTC(), Duration.ofMillis(50)).start();
    }

    @Test
    void oneRelayPublishesAtATimeAndAnotherTakesOverWhenItStops() {
        RecordingPublisher first = new RecordingPublisher(0);
        RecordingPublisher second = new RecordingPublisher(0);
        OutboxRelay a = relay(first);
        OutboxRelay b = relay(second);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.isLeader() || b.isLeader());
            append(30, "p1", "p2");
            await().atMost(Duration.ofSeconds(10)).until(() -> store.unsentCount() == 0);
            assertThat(first.published.size() + second.published.size()).isEqualTo(30);
            assertThat(a.isLeader() && b.isLeader()).isFalse();
            boolean aLeads = a.isLeader();
            assertThat(aLeads ? second.published : first.published).isEmpty();

            (aLeads ? a : b).close();
            RecordingPublisher follower = aLeads ? second : first;
            append(10, "p3");
            await().atMost(Duration.ofSeconds(10)).until(() -> store.unsentCount() == 0);
            assertThat(follower.published)
                    .hasSize(10)
                    .allMatch(event -> event.key().equals("p3"));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aFailingBrokerDelaysEventsButNeverSkipsOrReordersThem() {
        RecordingPublisher flaky = new RecordingPublisher(3);
        List<Long> seqs = append(25, "p1", "p2", "p3");
        OutboxRelay relay = relay(flaky);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> store.unsentCount() == 0);
        } finally {
            relay.close();
        }
        assertThat(flaky.calls.get()).isGreaterThan(3);
        assertThat(flaky.published).extracting(OutboxEvent::seq).containsExactlyElementsOf(seqs);
        assertThat(flaky.published).allSatisfy(event -> {
            assertThat(event.payload()).contains("\"specversion\": \"1.0\"").contains(event.eventId());
            assertThat(event.tenantId()).isEqualTo("t1");
        });
    }

    @Test
    void sentRowsAreCleanedAfterTheRetentionPeriod() {
        List<Long> seqs = append(6, "p1");
        Instant now = Instant.now();
        database.jdbi().useHandle(handle -> {
            store.markSent(
                    handle, seqs.subList(0, 3), now.minus(OutboxRelay.RETENTION).minusSeconds(60));
            store.markSent(handle, seqs.subList(3, 4), now.minus(Duration.ofDays(1)));
        });
        OutboxRelay relay = new OutboxRelay(store, new RecordingPublisher(0), Clock.systemUTC(), Duration.ofMillis(50));
        try (Handle handle = database.jdbi().open()) {
            assertThat(relay.clean(handle, now)).isEqualTo(3);
            assertThat(handle.createQuery("SELECT seq FROM outbox ORDER BY seq")
                            .mapTo(Long.class)
                            .list())
                    .containsExactlyElementsOf(seqs.subList(3, 6));
        }
        assertThat(store.unsentCount()).isEqualTo(2);
    }

    @Test
    void theLogPublisherWritesOneLinePerEventWithoutItsData() {
        append(3, "p9");
        List<OutboxEvent> events = database.jdbi().withHandle(handle -> store.unsent(handle, 10));
        List<String> lines = new ArrayList<>();
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
        Logger logger = Logger.getLogger(LogEventPublisher.class.getName());
        logger.addHandler(capture);
        try (LogEventPublisher publisher = new LogEventPublisher()) {
            publisher.publish(events);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i))
                    .contains("provider.updated")
                    .contains(events.get(i).eventId())
                    .contains("subject=p9")
                    .contains("tenant=t1")
                    .doesNotContain("\"n\"")
                    .doesNotContain("providerId");
        }
    }
}
