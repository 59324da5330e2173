/**
 * {@code hubctl providers list|get|create|update|delete|health} over the provider REST API
 * ({@link io.integrationhub.cli.providers.ProviderApi}); {@code apply} lives in its own package.
 */
package io.integrationhub.cli.providers;
