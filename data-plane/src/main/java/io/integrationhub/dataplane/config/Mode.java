package io.integrationhub.dataplane.config;

/**
 * How the hub runs. Standalone is for a laptop: embedded Postgres and generated keys; production
 * insists that every secret and the database are given.
 */
public enum Mode {
    PRODUCTION,
    STANDALONE
}
