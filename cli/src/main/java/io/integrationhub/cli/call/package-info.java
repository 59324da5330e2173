/**
 * {@code hubctl call PROVIDER METHOD PATH}: builds the envelope of {@code POST /integrations/call}
 * from curl-like flags, prints the provider's answer (status line on stderr, body on stdout) or the
 * hub's problem readably, with the exit code of either.
 */
package io.integrationhub.cli.call;
