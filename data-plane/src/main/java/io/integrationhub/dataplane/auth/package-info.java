/**
 * Who is calling: bearer JWTs (HS256 shared secret or RS256 from a JWKS URL), their scopes, and the
 * tenant every request acts in. No tenant ever reaches another's resources.
 */
package io.integrationhub.dataplane.auth;
