/**
 * {@code hubctl dlq list|get|retry|retry-all|delete} over the hub's dead letter queue API
 * ({@code /api/v1/integrations/dlq}): filters by provider, status and creation time, and a
 * {@code retry-all} that follows its batch to the end with a progress bar and a summary.
 */
package io.integrationhub.cli.dlq;
