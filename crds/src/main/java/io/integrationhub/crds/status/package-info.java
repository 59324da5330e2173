/**
 * What the operator observed about a Provider, Kubernetes-shaped: the registry row it maps to,
 * {@code observedGeneration}, {@code conditions} (type/status/reason/message/lastTransitionTime)
 * and the circuit state the data plane reports.
 */
package io.integrationhub.crds.status;
