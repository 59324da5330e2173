package io.integrationhub.dataplane.standalone;

import io.integrationhub.registry.db.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real PostgreSQL started from Maven Central binaries, its data kept under the state directory. */
public final class EmbeddedDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path stateDir) {
        Path dataDir = stateDir.resolve("pgdata").toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL could not start in " + dataDir, e);
        }
    }

    public DatabaseSettings settings() {
        return new DatabaseSettings(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", DatabaseSettings.DEFAULT_MAX_POOL_SIZE);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
