/**
 * The {@code Provider} custom resource ({@code providers.integrationhub.io/v1}): a provider of the
 * registry declared in Kubernetes, with its credentials in a Secret. Model classes only; the CRD
 * YAML is generated from them at build time and the operator lives in {@code control-plane}.
 */
package io.integrationhub.crds;
