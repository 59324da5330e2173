/**
 * Providers: the model and the validation of a provider document (shared by the REST API, the
 * operator and hubctl so that one rule set holds everywhere), in registry-model; the Postgres
 * repository and the outcomes it reports (name taken, stale version, ...) are in registry, in this
 * same package.
 */
package io.integrationhub.registry.provider;
