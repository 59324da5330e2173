/**
 * The desired state of a Provider: DESIGN §2's provider document, except that credentials are a
 * reference to a Secret ({@code auth.secretRef}) instead of values. Bounds and enums here feed the
 * generated CRD schema so the API server rejects obvious mistakes; the registry's validator remains
 * the one complete rule set and the operator runs it on every reconcile.
 */
package io.integrationhub.crds.spec;
