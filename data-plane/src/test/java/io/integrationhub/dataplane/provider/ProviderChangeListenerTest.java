package io.integrationhub.dataplane.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The listener on a real registry, killed on purpose by an Error where the OutOfMemoryError of issue 15 struck. */
class ProviderChangeListenerTest {
    private static final String POISON = "poison-pill";

    @Test
    void aListenerKilledByAnErrorIsReportedDegradedThenRestartedAndNotificationsFlowAgain() throws Exception {
        Canary.captureLogs();
        List<String> changed = new CopyOnWriteArrayList<>();
        AtomicBoolean live = new AtomicBoolean();
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        CountDownLatch restarting = new CountDownLatch(1);
        CountDownLatch restart = new CountDownLatch(1);
        Consumer<String> onChange = id -> {
            if (id.equals(POISON)) {
                throw new OutOfMemoryError("simulated while handling " + POISON);
            }
            changed.add(id);
        };
        try (TestDatabase database = TestDatabase.create();
                ProviderChangeListener listener = new ProviderChangeListener(
                                database.settings(), onChange, live::set, pause -> {
                                    pauses.add(pause);
                                    restarting.countDown();
                                    restart.await(); // held here, so the dead state can be looked at without racing
                                    // the restart
                                })
                        .start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.health().equals("UP"));
            notify(database, "p1");
            await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains("p1"));

            notify(database, POISON);

            assertThat(restarting.await(10, TimeUnit.SECONDS))
                    .as("the loop is backing off to restart")
                    .isTrue();
            assertThat(listener.health()).isEqualTo("DEGRADED");
            assertThat(live.get())
                    .as("the cache is told to stop trusting itself")
                    .isFalse();

            restart.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.health().equals("UP"));
            notify(database, "p2");
            await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains("p2"));

            assertThat(live.get()).isTrue();
            assertThat(listener.restarts()).isEqualTo(1);
            assertThat(pauses).containsExactly(Duration.ofSeconds(1));
            System.out.printf(
                    "listener: killed by an OutOfMemoryError, restarted %d time(s) after %s; notifications flow again%n",
                    listener.restarts(), pauses);
        }
        List<Canary.Entry> lines = Canary.journal().stream()
                .filter(e -> e.source().equals("log io.integrationhub.dataplane.background.BackgroundLoop"))
                .toList();
        assertThat(lines)
                .anyMatch(e -> e.text().contains("provider-change-listener failed (java.lang.OutOfMemoryError"));
        assertThat(lines).noneMatch(e -> e.text().contains(POISON));
    }

    private static void notify(TestDatabase database, String id) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, ProviderRepository.CHANGE_CHANNEL);
            notify.setString(2, id);
            notify.execute();
        }
    }
}
