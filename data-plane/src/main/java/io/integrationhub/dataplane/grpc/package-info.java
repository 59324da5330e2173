/**
 * The gRPC API ({@code platform.integration_hub.v1.IntegrationHubService}, generated from
 * {@code proto/} at build time): the REST operations over the same services and the same
 * authenticator, with hub errors mapped to gRPC status codes in {@link
 * io.integrationhub.dataplane.grpc.GrpcErrors} and the problem document in the status details.
 */
package io.integrationhub.dataplane.grpc;
