package io.integrationhub.registry.validation;

/** One offending field, by its JSON path (e.g. {@code config.retry.maxAttempts}), and why. */
public record FieldError(String field, String message) {}
