package io.integrationhub.dataplane.config;

import java.nio.file.Path;

/**
 * Bounds of the data path: memory is bounded by these, never by what callers or providers send.
 *
 * @param maxBodyBytes the largest request body; a larger one gets 413 ({@code INTEGRATION_MAX_BODY_BYTES}).
 *     A dead letter holds its body whole (sealed as one value), so 128 MiB at most
 * @param memoryBudgetBytes bytes of bodies and answers this instance holds in memory at once
 *     ({@code INTEGRATION_MEMORY_BUDGET_BYTES}); past it new calls wait briefly, then get 503 overloaded
 * @param bodyMemoryBytes how much of one request body stays in memory before the rest spills to a
 *     sealed temporary file ({@code INTEGRATION_BODY_MEMORY_BYTES})
 * @param spillDir where those files go ({@code INTEGRATION_SPILL_DIR}); each instance uses a
 *     directory of its own inside and removes it when it stops
 * @param maxKeptAnswerBytes a keyed call's answer up to this size is kept for replay; a larger one
 *     completes the key without its body ({@code INTEGRATION_MAX_KEPT_ANSWER_BYTES})
 * @param grpcMaxAnswerBytes the largest answer body the unary gRPC {@code Call} carries
 *     ({@code INTEGRATION_GRPC_MAX_ANSWER_BYTES})
 */
public record DataPathSettings(
        long maxBodyBytes,
        long memoryBudgetBytes,
        long bodyMemoryBytes,
        Path spillDir,
        long maxKeptAnswerBytes,
        long grpcMaxAnswerBytes) {

    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_BODY_MEMORY_BYTES = 256L * 1024;
    public static final long DEFAULT_MAX_KEPT_ANSWER_BYTES = 1024L * 1024;
    public static final long DEFAULT_GRPC_MAX_ANSWER_BYTES = 4_000_000;

    /** The defaults, which fit the 256 MiB heap the hub runs with. */
    public static DataPathSettings defaults() {
        return new DataPathSettings(
                DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MEMORY_BUDGET_BYTES,
                DEFAULT_BODY_MEMORY_BYTES,
                Path.of(System.getProperty("java.io.tmpdir"), "integration-hub-spill"),
                DEFAULT_MAX_KEPT_ANSWER_BYTES,
                DEFAULT_GRPC_MAX_ANSWER_BYTES);
    }
}
