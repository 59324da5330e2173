/**
 * Seeded generators of hostile Provider and Secret manifests, shared (through this module's
 * test-jar) by the suites that feed them to the operator's reconcile path and to
 * {@code hubctl providers apply}.
 */
package io.integrationhub.crds.fuzz;
