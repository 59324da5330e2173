/** The provider REST API: the service rules (shared with gRPC) and their HTTP routes. */
package io.integrationhub.dataplane.provider;
