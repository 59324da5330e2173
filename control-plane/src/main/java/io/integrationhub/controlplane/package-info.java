/**
 * The control plane: a java-operator-sdk operator that turns Provider resources (and the Secrets
 * they reference) into registry rows. {@link io.integrationhub.controlplane.Main} wires it by hand
 * from {@code INTEGRATION_*} environment variables; {@link io.integrationhub.controlplane.ProviderOperator}
 * is the one place the framework is configured, shared by {@code Main} and the tests.
 */
package io.integrationhub.controlplane;
