/**
 * What the data plane shows operators: Prometheus metrics at {@code /metrics} (one registry per
 * hub), OpenTelemetry spans exported over OTLP when configured, JSON log lines carrying the trace
 * id, tenant and provider of the request they were written for, and one access-log line per call.
 * Nothing here ever sees a request body or a credential.
 */
package io.integrationhub.dataplane.observe;
