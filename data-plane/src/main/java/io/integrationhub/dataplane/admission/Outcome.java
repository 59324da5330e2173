package io.integrationhub.dataplane.admission;

/**
 * How an admitted attempt ended, as far as the breaker cares: a failure (network error, timeout,
 * 5xx), a success (any other provider answer), or neither (4xx are the caller's business, not a
 * sign of provider health; a provider 429 is throttling, handled by the pause instead).
 */
public enum Outcome {
    SUCCESS,
    FAILURE,
    NEUTRAL
}
