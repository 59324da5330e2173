package io.integrationhub.dataplane.callrecord;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.DatabaseFailures;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.dlq.DeadLetterStatus;
import io.integrationhub.registry.idempotency.IdempotencyRepository;
import io.integrationhub.registry.outbox.OutboxWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records how calls end. A parked call becomes its DLQ entry, its idempotency record turned
 * dead-lettered and its {@code call.failed} event, in one transaction; an answered keyed call
 * keeps the provider's answer for replays. When the registry is unreachable at that moment the
 * outcome waits in the local spool and is written, oldest first, as soon as the registry answers again
 * — so neither a parked request nor a provider's answer is lost to a database outage.
 */
public final class CallRecords implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallRecords.class.getName());
    private static final Duration DRAIN_EVERY = Duration.ofMillis(500);

    private final DeadLetterRepository entries;
    private final IdempotencyRepository idempotency;
    private final OutboxWriter outbox;
    private final CallRecordSpool spool;
    /** At most this many failover events wait to be written; beyond, they are dropped (logged), never the call held up. */
    private static final int MAX_WAITING_EVENTS = 10_000;
    /** Writes failover events off the call path: a registry outage must not add its connection timeout to a call. */
    private final ThreadPoolExecutor events = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING_EVENTS),
            Thread.ofPlatform().name("call-events").daemon().factory(),
            (event, pool) ->
                    LOG.warning("a call.failed_over event was dropped: " + MAX_WAITING_EVENTS + " wait to be written"));

    private BackgroundLoop drainer;

    /** Where an outcome was kept. */
    public enum Kept {
        /** Written to the registry. */
        REGISTRY,
        /** The registry was unreachable: it waits in the local spool. */
        SPOOL
    }

    private CallRecords(
            DeadLetterRepository entries, IdempotencyRepository idempotency, CallRecordSpool spool, Clock clock) {
        this.entries = entries;
        this.idempotency = idempotency;
        this.outbox = new OutboxWriter(clock);
        this.spool = spool;
    }

    /** Opens the spool in {@code spoolDir} and starts writing what waits in it. */
    public static CallRecords start(
            Path spoolDir,
            Sealer sealer,
            DeadLetterRepository entries,
            IdempotencyRepository idempotency,
            Clock clock) {
        CallRecords outcomes = new CallRecords(entries, idempotency, CallRecordSpool.open(spoolDir, sealer), clock);
        outcomes.drainer = BackgroundLoop.named("call-record-spool")
                .every(DRAIN_EVERY)
                .backoff(DRAIN_EVERY, Duration.ofSeconds(30))
                .whileFailing("the outcomes stay in the spool")
                .run(outcomes::drainRound);
        return outcomes;
    }

    /**
     * Records {@code outcome} in the registry or, when it is unreachable, in the spool.
     *
     * @throws RuntimeException when it could be kept in neither (the caller must then say so)
     */
    public Kept record(CallRecord outcome) {
        if (outcome instanceof CallRecord.Answered answered && answered.writesNothing()) {
            return Kept.REGISTRY;
        }
        // Straight to the registry even while older records wait in the spool: records of different calls are
        // independent, and a call's own earlier record still holds its key in flight, so none can overtake another
        // of the same key (and under steady traffic the spool empties instead of becoming the only path).
        try {
            write(outcome);
            return Kept.REGISTRY;
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnreachable(e)) {
                throw e;
            }
            LOG.warning("the registry is unreachable; a call outcome (" + kind(outcome) + ") waits in the local spool");
        }
        spool.keep(outcome);
        return Kept.SPOOL;
    }

    /** Outcomes waiting in the spool for the registry. */
    public int pending() {
        return spool.pending();
    }

    /** Spooled outcomes that could not be read back (moved aside for an operator). */
    public int rejected() {
        return spool.rejected();
    }

    /** Writes what waits in the spool now (it also happens every half second). @return how many were written */
    public int drain() {
        synchronized (spool) {
            return spool.drain(this::write);
        }
    }

    /** One round of the drainer; a failure (the disk, not the registry) leaves everything where it is. */
    private void drainRound() {
        if (spool.pending() == 0) {
            return;
        }
        int written = drain();
        if (written > 0) {
            LOG.info("call record spool: " + written + " outcome(s) written to the registry, " + spool.pending()
                    + " waiting");
        }
    }

    private void drainQuietly() {
        try {
            drainRound();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.SEVERE,
                    "call record spool: draining failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void write(CallRecord outcome) {
        switch (outcome) {
            case CallRecord.Parked parked -> writeParked(parked);
            case CallRecord.Answered answered -> writeAnswered(answered);
        }
    }

    private void writeParked(CallRecord.Parked parked) {
        entries.jdbi().useTransaction(handle -> {
            if (parked.newEntry()) {
                entries.park(
                        handle,
                        parked.entryId(),
                        parked.tenantId(),
                        parked.providerId(),
                        parked.idempotencyKey(),
                        parked.request(),
                        parked.error(),
                        parked.attempts(),
                        parked.module());
            } else {
                entries.failedAgain(
                        handle,
                        parked.tenantId(),
                        parked.entryId(),
                        parked.error(),
                        parked.attempts(),
                        parked.replay() ? DeadLetterStatus.FAILED : DeadLetterStatus.PENDING);
            }
            if (parked.keyed()) {
                idempotency.deadLettered(
                        handle, parked.tenantId(), parked.keyOwner(), parked.idempotencyKey(), parked.entryId());
            }
            var data = Json.mapper()
                    .createObjectNode()
                    .put("providerId", parked.providerId())
                    .put("tenantId", parked.tenantId())
                    .put("method", parked.request().method())
                    .put("dlqEntryId", parked.entryId())
                    .put("attempts", parked.attempts())
                    .put("errorKind", parked.error().kind());
            if (parked.error().status() != null) {
                data.put("errorStatus", parked.error().status());
            }
            outbox.append(handle, parked.providerId(), "call.failed", parked.tenantId(), data);
        });
    }

    private void writeAnswered(CallRecord.Answered answered) {
        if (answered.response() != null) {
            idempotency.complete(
                    answered.tenantId(), answered.providerId(), answered.idempotencyKey(), answered.response());
        }
        if (answered.resolvedEntryId() != null) {
            entries.jdbi()
                    .useTransaction(handle -> entries.succeeded(
                            handle, answered.tenantId(), answered.resolvedEntryId(), answered.attempts()));
        }
    }

    /**
     * The provider a keyed call's earlier run was parked with: where a retry with the same key
     * resumes on the call's route (it never moves past an attempt that may have executed).
     */
    public java.util.Optional<String> parkedWith(String tenantId, String entryId) {
        return entries.find(tenantId, entryId).map(entry -> entry.providerId());
    }

    /**
     * The provider whose idempotency record holds the key of a dead letter: the first provider of the
     * route of the call that was parked, so that an operator's replay and the caller's retry share one record.
     */
    public java.util.Optional<IdempotencyRepository.Owner> keyOwner(String tenantId, String key, String entryId) {
        return idempotency.ownerOf(tenantId, key, entryId);
    }

    /**
     * A {@code call.failed_over} event: the call left {@code fromId} for {@code toId} because the
     * former provably did not execute it. Written off the call path and best effort: when the
     * registry is unreachable the event is lost (logged) while the call goes on; metrics and the
     * access log still count it.
     */
    public void failedOver(String tenantId, String fromId, String toId, String reason, String idempotencyKey) {
        var data = Json.mapper()
                .createObjectNode()
                .put("tenantId", tenantId)
                .put("fromProviderId", fromId)
                .put("toProviderId", toId)
                .put("reason", reason)
                .put("idempotencyKey", idempotencyKey);
        events.execute(() -> {
            try {
                entries.jdbi()
                        .useTransaction(handle -> outbox.append(handle, fromId, "call.failed_over", tenantId, data));
            } catch (RuntimeException e) {
                LOG.warning("the call.failed_over event of a call from provider " + fromId + " to " + toId
                        + " could not be written (" + e.getClass().getSimpleName() + ")");
            }
        });
    }

    private static String kind(CallRecord outcome) {
        return outcome instanceof CallRecord.Parked ? "parked call" : "provider answer";
    }

    @Override
    public void close() {
        events.shutdown();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainer.closeAndWait(Duration.ofSeconds(5));
        drainQuietly(); // one last round: what is written now need not outlive this instance's disk
        if (spool.pending() > 0) {
            LOG.warning("call record spool: " + spool.pending() + " record(s) stay in the spool for the next start");
        }
        spool.close();
    }
}
