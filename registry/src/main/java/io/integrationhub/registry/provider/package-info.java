/**
 * Providers: the model, validation of a provider document (shared by the REST API, the operator and
 * hubctl so that one rule set holds everywhere), and the Postgres repository.
 */
package io.integrationhub.registry.provider;
