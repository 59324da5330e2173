package io.integrationhub.cli.input;

/** Bytes read from one place, with the name messages use for it ({@code a.yaml}, {@code <stdin>}). */
public record Source(String name, byte[] bytes) {}
