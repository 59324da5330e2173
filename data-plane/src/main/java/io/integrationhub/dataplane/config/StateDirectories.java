package io.integrationhub.dataplane.config;

import java.nio.file.Path;

/**
 * What one instance keeps on its own disk.
 *
 * @param stateDir standalone mode's embedded database and generated secrets (INTEGRATION_STATE_DIR)
 * @param spoolDir call records wait here while PostgreSQL is unreachable, one directory per
 *                 instance (INTEGRATION_SPOOL_DIR, default {@code <stateDir>/spool})
 */
public record StateDirectories(Path stateDir, Path spoolDir) {}
