package io.integrationhub.dataplane.observe;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The {@link CallObserver} of a running hub: counts and times each call in {@link HubMetrics},
 * spans it in {@link Tracing}, puts its trace id, tenant and provider in the {@link LogContext}, and
 * writes one access-log line when it ends (logger {@value #ACCESS_LOGGER}: method, module, outcome,
 * status, attempts, latency; never a path, query, header or body).
 */
public final class CallTelemetry implements CallObserver {
    public static final String ACCESS_LOGGER = "io.integrationhub.access";
    private static final Logger ACCESS = Logger.getLogger(ACCESS_LOGGER);
    private static final Logger LOG = Logger.getLogger(CallTelemetry.class.getName());

    private final HubMetrics metrics;
    private final Tracing tracing;

    public CallTelemetry(HubMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public Observation start(String tenantId, String module, String method, String incomingTraceparent) {
        return new CallObservation(tenantId, module, method, incomingTraceparent);
    }

    /** Telemetry never fails a call: what could not be recorded is logged instead. */
    private static void unrecorded(RuntimeException e) {
        LOG.log(Level.WARNING, "call telemetry could not be recorded", e);
    }

    private final class CallObservation implements Observation {
        private final long started = System.nanoTime();
        private final String method;
        private final String module;
        private final String incomingTraceparent;
        private final LogContext.Scope scope;
        private Tracing.CallSpan span;
        private String providerId;
        private int attempts;
        private CallOutcome outcome;
        private Integer status;
        private boolean parked;
        private String route;

        CallObservation(String tenantId, String module, String method, String incomingTraceparent) {
            this.module = module;
            String name = method == null ? "?" : method.toUpperCase(Locale.ROOT);
            this.method = name.length() > 16 ? name.substring(0, 16) : name;
            this.incomingTraceparent = incomingTraceparent;
            this.scope = LogContext.open(incomingTraceparent, tenantId);
        }

        @Override
        public void provider(Provider provider) {
            providerId = provider.id();
            LogContext.provider(providerId);
            metrics.provider(provider);
        }

        @Override
        public void failedOver(Provider from, Provider to, String reason) {
            try {
                metrics.failover(from.id(), to.id(), reason);
                if (span != null) {
                    span.failedOver(from.id(), to.id(), reason);
                }
            } catch (RuntimeException e) {
                unrecorded(e);
            }
            route = (route == null ? from.name() : route) + ">" + to.name();
            provider(to);
        }

        @Override
        public String outboundTraceparent(String fallback) {
            span = tracing.start(incomingTraceparent, method);
            String traceparent = span == null ? fallback : span.traceparent();
            if (span != null && providerId != null) {
                span.attribute("integration_hub.provider", providerId);
            }
            if (span != null && module != null) {
                span.attribute("integration_hub.module", module);
            }
            LogContext.traceId(LogContext.traceIdOf(traceparent));
            return traceparent;
        }

        @Override
        public void waited(Duration waited) {
            if (providerId != null) {
                metrics.waited(providerId, waited);
            }
        }

        @Override
        public void attempt(Duration latency, int status) {
            record(latency, (status / 100) + "xx");
        }

        @Override
        public void attemptFailed(Duration latency, String kind) {
            record(latency, kind);
        }

        private void record(Duration latency, String result) {
            attempts++;
            try {
                if (providerId != null) {
                    metrics.attempt(providerId, result, latency);
                }
                if (span != null) {
                    span.attempt(attempts, result, latency);
                }
            } catch (RuntimeException e) {
                unrecorded(e);
            }
        }

        @Override
        public void answered(int status, boolean replayed) {
            this.status = status;
            this.outcome = replayed ? CallOutcome.REPLAYED : CallOutcome.answered(status);
        }

        @Override
        public void failed(RuntimeException e) {
            this.outcome = CallOutcome.failed(e);
            ApiException problem = Problems.problem(e);
            this.status = problem == null ? 500 : problem.type().status();
            this.parked = problem != null && problem.extensions().containsKey("dlqEntryId");
        }

        @Override
        public void close() {
            try {
                report();
            } catch (RuntimeException e) {
                unrecorded(e);
            } finally {
                scope.close();
            }
        }

        private void report() {
            Duration total = Duration.ofNanos(System.nanoTime() - started);
            CallOutcome ended = outcome == null ? CallOutcome.failed(null) : outcome;
            metrics.call(providerId, module, ended, attempts, total);
            if (parked && providerId != null) {
                metrics.parked(providerId);
            }
            if (span != null) {
                span.end(ended.label(), attempts, status, status == null || status >= 500 || parked);
            }
            LogRecord line = new LogRecord(Level.INFO, "call " + method + " " + ended.label());
            line.setLoggerName(ACCESS_LOGGER);
            line.setParameters(new Object[] {
                LogFields.of()
                        .put("method", method)
                        .put("module", module)
                        .put("outcome", ended.label())
                        .put("status", status)
                        .put("attempts", attempts)
                        .put("route", route)
                        .put("latencyMs", total.toNanos() / 1_000_000.0)
            });
            ACCESS.log(line);
        }
    }
}
