package io.integrationhub.dataplane;

import io.integrationhub.testkit.Canary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of one topic, from the beginning of each partition to its current end,
 * without a consumer group (nothing is committed, nobody else's offsets move). Each record becomes
 * one journal entry: key, headers and value as text (ISO-8859-1, so every byte stays one character).
 */
public final class KafkaTopicScan {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopicScan() {}

    /** Every record of {@code topic} on {@code bootstrap}, as journal entries with source {@code kafka <topic>}. */
    public static List<Canary.Entry> read(String bootstrap, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        List<Canary.Entry> entries = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "topic " + topic + " on " + bootstrap + " not read to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    entries.add(new Canary.Entry("kafka " + topic, text(record)));
                }
            }
        }
        return entries;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder text =
                new StringBuilder("key=").append(latin1(record.key())).append(" headers=");
        for (Header header : record.headers()) {
            text.append(header.key()).append(':').append(latin1(header.value())).append(' ');
        }
        return text.append("value=").append(latin1(record.value())).toString();
    }

    private static String latin1(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
