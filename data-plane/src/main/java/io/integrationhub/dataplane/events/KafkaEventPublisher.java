package io.integrationhub.dataplane.events;

import io.integrationhub.registry.outbox.OutboxEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes CloudEvents to Kafka in structured mode: key = provider id (one partition per provider,
 * so its events stay in order), value = the CloudEvent JSON, header {@code content-type:
 * application/cloudevents+json}. The producer is idempotent with {@code acks=all} and never gives
 * up on a record by itself (no delivery timeout to speak of): during a broker outage the sends wait
 * and complete, in order, when the broker is back. If the producer fails anyway (it could not even
 * fetch metadata, a fatal error), it is closed and the relay sends the same rows again with a new
 * one; records the old one had written are then duplicates a consumer drops by CloudEvent id.
 */
public final class KafkaEventPublisher implements EventPublisher {
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    private static final List<Header> HEADERS =
            List.of(new RecordHeader("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));

    private final String bootstrap;
    private final String topic;
    private volatile boolean closed;
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaEventPublisher(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    @Override
    public synchronized void publish(List<OutboxEvent> events) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("the event publisher is closed");
        }
        if (producer == null) {
            producer = new KafkaProducer<>(config());
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (OutboxEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(
                        topic,
                        null,
                        event.key().getBytes(StandardCharsets.UTF_8),
                        event.payload().getBytes(StandardCharsets.UTF_8),
                        HEADERS)));
            }
            for (Future<RecordMetadata> ack : acks) {
                awaitAck(ack);
            }
        } catch (ExecutionException | RuntimeException e) {
            reset();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException(
                    "Kafka did not take the events: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    cause);
        } catch (InterruptedException e) {
            reset();
            throw e;
        }
    }

    /** Waits for the broker's ack however long an outage lasts, unless the publisher is closed. */
    private void awaitAck(Future<RecordMetadata> ack) throws ExecutionException, InterruptedException, IOException {
        while (true) {
            try {
                ack.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                if (closed) {
                    throw new IOException("closed while waiting for Kafka");
                }
            }
        }
    }

    private void reset() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private Map<String, Object> config() {
        return Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "integration-hub-outbox"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 5),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            reset();
        }
    }
}
