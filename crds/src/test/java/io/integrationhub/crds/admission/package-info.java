/**
 * Admission as the Kubernetes API server does it for the Provider CRD, offline: the structural
 * schema (types, enums, patterns, lengths, ranges, counts, required fields, unknown fields) and the
 * CRD's CEL rules, {@code oldSelf} transition rules included, answered as a 422 {@code Status} in
 * the API server's shape. The operator's mock API server and the local development API server run
 * every Provider write through it.
 *
 * <p>Where it differs from a real API server: patterns are Java regular expressions, not RE2 (ours
 * use no construct where the two disagree); nothing is defaulted; unknown fields are refused with
 * {@code fieldValidation=Strict}, otherwise pruned with a warning (the real default for kubectl is
 * Strict, for client libraries Warn/Ignore); no validation ratcheting (an unchanged invalid field is
 * refused again on update); CEL cost limits are not enforced; {@code metadata} is not validated
 * beyond what the mock server itself checks.
 */
package io.integrationhub.crds.admission;
