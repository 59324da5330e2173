/**
 * The hub's settings: read once at start-up from {@code application.yaml} ({@code hub:}) with
 * {@code INTEGRATION_*} environment variables on top, checked, and handed to components as values.
 */
package io.integrationhub.dataplane.config;
