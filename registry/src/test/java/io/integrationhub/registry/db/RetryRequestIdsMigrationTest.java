package io.integrationhub.registry.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.ulid.Ulid;
import io.integrationhub.registry.Ids;
import io.integrationhub.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** V4 gives the retry requests still waiting ULIDs (the one id scheme) and leaves the tokens in flight alone. */
class RetryRequestIdsMigrationTest {
    private TestDatabase testDatabase;

    @BeforeEach
    void create() {
        testDatabase = TestDatabase.create();
    }

    @AfterEach
    void drop() {
        testDatabase.close();
    }

    private Flyway flyway(String target) {
        DatabaseSettings settings = testDatabase.settings();
        return Flyway.configure()
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    @Test
    void waitingRequestsWithUuidIdsGetUlidsOfTheirCreationTimeAndTokensStay() throws SQLException {
        flyway("3").migrate();
        String uuidId = UUID.randomUUID().toString();
        String uuidToken = UUID.randomUUID().toString();
        String ulidId = Ids.newId();
        Instant created = Instant.parse("2026-11-30T10:15:30.123456Z");
        try (Connection db = testDatabase.connect();
                Statement sql = db.createStatement()) {
            sql.execute("""
                    INSERT INTO providers (id, tenant_id, name, type, base_url, auth, config, status, managed_by, version,
                                           created_at, updated_at)
                    VALUES ('p1', 't1', 'psp', 'payment', 'https://psp.example.test', '{}', '{}', 'active', 'api', 1, now(), now())""");
            sql.execute("""
                    INSERT INTO dlq_entries (id, tenant_id, provider_id, idempotency_key, method, path, request_kid, request_sealed,
                                             last_error_kind, attempts, status, retry_token, created_at, updated_at, expires_at)
                    VALUES ('e1', 't1', 'p1', 'k1', 'POST', '/v1/charges', 'k1', '\\x00', 'upstream_status', 3, 'retrying',
                            '%s', now(), now(), now() + interval '30 days')""".formatted(uuidToken));
            sql.execute("""
                    INSERT INTO dlq_retry_requests (id, entry_id, tenant_id, token, not_before, created_at) VALUES
                        ('%s', 'e1', 't1', '%s', now(), '%s'),
                        ('%s', 'e1', 't1', '%s', now(), now())""".formatted(uuidId, uuidToken, created, ulidId, uuidToken));
        }

        flyway("latest").migrate();

        try (Connection db = testDatabase.connect();
                Statement sql = db.createStatement()) {
            ResultSet rows =
                    sql.executeQuery("SELECT id, token, created_at FROM dlq_retry_requests ORDER BY created_at");
            assertThat(rows.next()).isTrue();
            String converted = rows.getString("id");
            assertThat(Ids.looksLikeId(converted)).as(converted).isTrue();
            assertThat(Ulid.from(converted).getInstant()).isEqualTo(Instant.parse("2026-11-30T10:15:30.123Z"));
            assertThat(rows.getString("token")).as("a token in flight is kept").isEqualTo(uuidToken);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("id")).as("a ULID is left as it is").isEqualTo(ulidId);
            assertThat(rows.next()).isFalse();
            rows.close();
            assertThat(sql.executeQuery("SELECT retry_token FROM dlq_entries WHERE id = 'e1'"))
                    .satisfies(entry -> {
                        assertThat(entry.next()).isTrue();
                        assertThat(entry.getString(1)).isEqualTo(uuidToken);
                    });

            assertThatThrownBy(() -> sql.execute("""
                    INSERT INTO dlq_retry_requests (id, entry_id, tenant_id, token, not_before, created_at)
                    VALUES ('%s', 'e1', 't1', '%s', now(), now())""".formatted(UUID.randomUUID(), uuidToken)))
                    .as("the table takes no other kind of id")
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("dlq_retry_requests_id_is_ulid");
        }
    }
}
