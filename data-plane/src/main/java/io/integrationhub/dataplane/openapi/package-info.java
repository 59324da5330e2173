/**
 * The OpenAPI 3.1 document of the REST API ({@code data-plane/api/openapi.yaml}), served at
 * {@code /openapi}; tests check real answers against it so that it cannot drift.
 */
package io.integrationhub.dataplane.openapi;
