/**
 * The call pipeline (DESIGN §3): resolve the provider, admit, build the outbound request with
 * injected auth, call with a timeout, retry with backoff and jitter, park what finally fails in the
 * DLQ, and keep idempotent calls from reaching the provider twice. Both the JSON envelope route and
 * the transparent proxy route feed the same {@link io.integrationhub.dataplane.call.CallService}.
 */
package io.integrationhub.dataplane.call;
