/**
 * Reconciling a Provider resource: map it and its Secret to the registry's provider document,
 * validate it with the registry's one rule set, upsert the registry row ({@code managedBy=operator})
 * and record the outcome as a Ready condition. A Provider that cannot be applied gets Ready=False
 * with a typed {@link io.integrationhub.controlplane.reconcile.ReadyReason} and nothing is written;
 * it recovers by itself when the spec or the Secret is fixed.
 */
package io.integrationhub.controlplane.reconcile;
