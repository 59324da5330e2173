package io.integrationhub.dataplane.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry spans of calls, exported over OTLP/HTTP when {@code INTEGRATION_OTLP_ENDPOINT} is
 * set, and nothing at all (no SDK, no thread, no network) when it is not. The hub's span of a call
 * continues the caller's W3C trace, and its id is what the provider receives as the parent in
 * {@code traceparent}, so the provider's spans hang below the hub's.
 */
public final class Tracing implements AutoCloseable {
    /** Tracing switched off: {@link #start} answers null. */
    public static final Tracing OFF = new Tracing(null, null);

    static final String SERVICE_NAME = "integration-hub-data-plane";
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /**
     * @param otlpEndpoint the collector's OTLP/HTTP base URL (e.g. {@code http://otel-collector:4318}),
     *     or null for no tracing
     */
    public static Tracing create(String otlpEndpoint) {
        if (otlpEndpoint == null) {
            return OFF;
        }
        String endpoint =
                otlpEndpoint.endsWith("/v1/traces") ? otlpEndpoint : otlpEndpoint.replaceAll("/+$", "") + "/v1/traces";
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME))))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(endpoint)
                                .build())
                        .setScheduleDelay(Duration.ofSeconds(1))
                        .build())
                .build();
        return new Tracing(provider, provider.get("io.integrationhub.dataplane"));
    }

    public boolean enabled() {
        return tracer != null;
    }

    /** Starts the span of one call below the caller's trace (if its traceparent is valid); null when off. */
    CallSpan start(String incomingTraceparent, String method) {
        if (tracer == null) {
            return null;
        }
        Context parent = incomingTraceparent == null
                ? Context.root()
                : W3CTraceContextPropagator.getInstance()
                        .extract(Context.root(), incomingTraceparent.trim(), TRACEPARENT);
        Span span = tracer.spanBuilder("integration-hub call " + method)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", method)
                .startSpan();
        return new CallSpan(span);
    }

    /** The span of one call. */
    static final class CallSpan {
        private final Span span;

        private CallSpan(Span span) {
            this.span = span;
        }

        /** The W3C traceparent naming this span, to send upstream. */
        String traceparent() {
            SpanContext context = span.getSpanContext();
            return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                    + context.getTraceFlags().asHex();
        }

        void attribute(String key, String value) {
            span.setAttribute(key, value);
        }

        void failedOver(String fromId, String toId, String reason) {
            span.addEvent(
                    "failed_over",
                    Attributes.builder()
                            .put("from", fromId)
                            .put("to", toId)
                            .put("reason", reason)
                            .build());
            span.setAttribute("integration_hub.provider", toId);
        }

        void attempt(int number, String result, Duration latency) {
            span.addEvent(
                    "attempt",
                    Attributes.builder()
                            .put("attempt", number)
                            .put("result", result)
                            .put("latency_ms", latency.toMillis())
                            .build());
        }

        void end(String outcome, int attempts, Integer status, boolean error) {
            span.setAttribute("integration_hub.outcome", outcome);
            span.setAttribute("integration_hub.attempts", attempts);
            if (status != null) {
                span.setAttribute("http.response.status_code", status);
            }
            if (error) {
                span.setStatus(StatusCode.ERROR, outcome);
            }
            span.end();
        }
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
