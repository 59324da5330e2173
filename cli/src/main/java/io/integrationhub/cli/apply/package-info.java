/**
 * {@code hubctl providers apply -f FILE}: the Provider YAML that {@code kubectl apply} takes, made
 * the registry's provider document by the crds module's {@code RegistryDocument} (one mapping for
 * the operator and hubctl), with credentials from a Secret document, {@code --from-env} or
 * {@code --from-file}; created, updated by name, or left alone when nothing differs.
 */
package io.integrationhub.cli.apply;
