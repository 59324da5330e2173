package io.integrationhub.registry.dlq;

/**
 * Why the last attempt failed: {@code kind} is one of {@code upstream_status}, {@code timeout},
 * {@code network}, {@code rejected}; {@code status} the provider's HTTP status when there was one.
 */
public record LastError(String kind, Integer status, String message) {}
