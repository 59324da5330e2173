/** Liveness and readiness: ready only while Postgres answers; degraded adapters are reported, not fatal. */
package io.integrationhub.dataplane.health;
