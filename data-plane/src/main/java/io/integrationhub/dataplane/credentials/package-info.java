/**
 * Putting a provider's credentials on the outbound request: decrypted once and cached in memory
 * only, injected per auth type, OAuth2 client-credentials tokens fetched, cached and refreshed.
 * Nothing here logs or echoes a credential.
 */
package io.integrationhub.dataplane.credentials;
