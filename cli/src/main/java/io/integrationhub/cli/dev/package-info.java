/**
 * {@code hubctl dev}: helpers for a hub started on this machine in standalone mode
 * ({@code scripts/run}), such as development tokens for any tenant and scopes, signed with the
 * development secret that hub keeps in its state directory.
 */
package io.integrationhub.cli.dev;
