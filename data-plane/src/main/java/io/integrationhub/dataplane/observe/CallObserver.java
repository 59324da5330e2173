package io.integrationhub.dataplane.observe;

import io.integrationhub.registry.provider.Provider;
import java.time.Duration;

/**
 * What the call pipeline tells about each call, at its outcome points: metrics, the span and the
 * access-log line are made from this and nothing else. {@link #NONE} ignores everything.
 */
public interface CallObserver {
    CallObserver NONE = (tenantId, module, method, traceparent) -> Observation.NONE;

    /** A call starts for an authenticated caller of {@code tenantId}, made for {@code module}. */
    Observation start(String tenantId, String module, String method, String incomingTraceparent);

    /** One call, told in order: provider, traceparent, attempts, then answered or failed, then closed. */
    interface Observation extends AutoCloseable {
        Observation NONE = new Observation() {};

        /** The provider is resolved. */
        default void provider(Provider provider) {}

        /**
         * The traceparent to send upstream: {@code fallback} (the caller's trace, a new span id)
         * unless tracing is on, then the id of the call's own span in the same trace.
         */
        default String outboundTraceparent(String fallback) {
            return fallback;
        }

        /** An upstream attempt ended with the provider's {@code status}. */
        default void attempt(Duration latency, int status) {}

        /** The call waited this long for a slot of the provider's limit ({@code config.maxQueueMs}). */
        default void waited(Duration waited) {}

        /** An upstream attempt got no answer: {@code kind} is timeout, network, forbidden_destination... */
        default void attemptFailed(Duration latency, String kind) {}

        /**
         * The call left {@code from}, which provably did not execute it, for {@code to}, the next
         * provider of its route; {@code reason} is one of the bounded failover reasons.
         */
        default void failedOver(Provider from, Provider to, String reason) {}

        /** The caller gets the provider's answer (fresh or, with {@code replayed}, stored). */
        default void answered(int status, boolean replayed) {}

        /** The caller gets a hub error. */
        default void failed(RuntimeException e) {}

        @Override
        default void close() {}
    }
}
