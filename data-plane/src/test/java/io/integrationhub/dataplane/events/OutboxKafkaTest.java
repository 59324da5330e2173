package io.integrationhub.dataplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.PrivateKafka;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.Canary;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Events reach Kafka through the outbox, against a private broker this class really stops and
 * starts: structured CloudEvents keyed by provider id, in per-provider order, each once, without
 * secrets, across a broker outage.
 */
@Tag("hub")
class OutboxKafkaTest {
    private static final String TENANT = "events";
    private static final String TOPIC =
            "hub-test-events-" + UUID.randomUUID().toString().substring(0, 8);
    private static PrivateKafka kafka;
    private static TestHub hub;
    private static KafkaConsumer<byte[], byte[]> consumer;
    private static final List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = PrivateKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
        hub = TestHub.start(Map.of("INTEGRATION_KAFKA_BOOTSTRAP", kafka.bootstrap(), "INTEGRATION_KAFKA_TOPIC", TOPIC));
        // Partitions assigned by hand: no consumer group, so no rebalance to wait for after the broker restarts.
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        List<TopicPartition> partitions = IntStream.range(0, 3)
                .mapToObj(p -> new TopicPartition(TOPIC, p))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
        if (hub != null) {
            hub.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        return received;
    }

    private static JsonNode value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Json.mapper().readTree(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long unsent() throws Exception {
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
                ResultSet row = q.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void patch(String name, String json) {
        Answer answer = hub.client()
                .send(
                        "PATCH",
                        Providers.PATH + "/" + name,
                        hub.adminToken(TENANT),
                        json,
                        Map.of("Content-Type", "application/merge-patch+json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static String create(String name) {
        return Providers.create(hub, TENANT, """
                {"name": "%s", "type": "payment", "baseUrl": "http://127.0.0.1:9/%s",
                 "auth": {"type": "bearer", "credentials": {"token": "%s"}}}""".formatted(name, name, Canary.SECRET));
    }

    @Test
    void aBrokerOutageDelaysEventsWithoutLosingOrReorderingThem() throws Exception {
        String warmup = create("warmup");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> poll().stream().anyMatch(r -> new String(r.key()).equals(warmup)));
        ConsumerRecord<byte[], byte[]> first = received.get(0);
        assertThat(new String(first.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .isEqualTo("application/cloudevents+json");

        kafka.stopBroker();
        Map<String, List<String>> expected = new LinkedHashMap<>(); // provider id -> "type vN" in order
        List<String> names = List.of("alpha", "bravo", "charlie", "delta");
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : names) {
            ids.put(name, create(name));
            expected.computeIfAbsent(ids.get(name), k -> new ArrayList<>()).add("provider.created v1");
        }
        for (int round = 1; round <= 3; round++) {
            for (String name : names) {
                patch(name, "{\"config\": {\"timeoutMs\": " + (1000 * round) + "}}");
                expected.get(ids.get(name)).add("provider.updated v" + (round + 1));
            }
        }
        for (String name : List.of("alpha", "bravo")) {
            patch(
                    name,
                    "{\"auth\": {\"type\": \"bearer\", \"credentials\": {\"token\": \"" + Canary.SECRET
                            + "-rotated\"}}}");
            expected.get(ids.get(name)).add("provider.updated v5");
        }
        for (String name : List.of("charlie", "delta")) {
            assertThat(hub.client()
                            .send("DELETE", Providers.PATH + "/" + name, hub.adminToken(TENANT), null, Map.of())
                            .status())
                    .isEqualTo(204);
            expected.get(ids.get(name)).add("provider.deleted v5");
        }
        assertThat(expected.values().stream().mapToInt(List::size).sum()).isEqualTo(20);
        // Kept, in order, while the broker is down.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> unsent() >= 20);

        kafka.startBroker();
        Set<String> ours = Set.copyOf(ids.values());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> poll().stream()
                                .filter(r -> ours.contains(new String(r.key())))
                                .map(r -> value(r).path("id").asText())
                                .distinct()
                                .count()
                        == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> unsent() == 0);
        poll();

        // Consumers dedupe by CloudEvent id (at-least-once delivery); keep each event's first copy.
        Map<String, ConsumerRecord<byte[], byte[]>> byId = new LinkedHashMap<>();
        int copies = 0;
        for (ConsumerRecord<byte[], byte[]> record : received) {
            if (ours.contains(new String(record.key(), StandardCharsets.UTF_8))) {
                copies++;
                byId.putIfAbsent(value(record).path("id").asText(), record);
            }
        }
        assertThat(byId).hasSize(20);
        assertThat(copies).as("copies, duplicates included").isGreaterThanOrEqualTo(20);

        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : byId.values()) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            JsonNode event = value(record);
            assertThat(event.path("specversion").asText()).isEqualTo("1.0");
            assertThat(event.path("subject").asText()).isEqualTo(key);
            assertThat(event.path("source").asText()).isEqualTo("/integration-hub");
            assertThat(event.path("tenantid").asText()).isEqualTo(TENANT);
            assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("application/cloudevents+json");
            String raw = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(raw).doesNotContain(Canary.SECRET).doesNotContain("credentials");
            actual.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(event.path("type").asText().replace("io.integrationhub.", "") + " v"
                            + event.path("data").path("version").asInt());
        }
        assertThat(actual).isEqualTo(expected);
    }
}
