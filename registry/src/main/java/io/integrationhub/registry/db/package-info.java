/** Connecting to Postgres: the connection pool, Flyway migrations and the Jdbi handle factory. */
package io.integrationhub.registry.db;
