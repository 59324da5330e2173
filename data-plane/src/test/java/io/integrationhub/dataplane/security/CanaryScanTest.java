package io.integrationhub.dataplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.integrationhub.dataplane.CanaryFindings;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.KafkaTopicScan;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.grpc.v1.Auth;
import io.integrationhub.dataplane.grpc.v1.DeadLetter;
import io.integrationhub.dataplane.grpc.v1.GetDeadLetterRequest;
import io.integrationhub.dataplane.grpc.v1.GetProviderRequest;
import io.integrationhub.dataplane.grpc.v1.IntegrationHubServiceGrpc;
import io.integrationhub.dataplane.grpc.v1.Provider;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.DatabaseScan;
import io.integrationhub.testkit.TestDatabase;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The canary scan of {@code SecretHygieneTest} can fail: a canary planted in plaintext or encoded
 * in a table, in a gRPC answer or in a Kafka event is reported, naming where it was and in which
 * form. What is planted here never reaches the run's journal, and planted rows are removed before
 * their database is dropped (and scanned for good).
 */
@Tag("hub")
class CanaryScanTest {
    private static final byte[] SECRET = Canary.SECRET.getBytes(StandardCharsets.UTF_8);

    @Test
    void theCanaryIsFoundInEveryEncodingWhateverSurroundsIt() {
        SecureRandom random = new SecureRandom();
        for (int prefix = 0; prefix < 7; prefix++) {
            byte[] around = new byte[prefix + SECRET.length + 5];
            random.nextBytes(around);
            System.arraycopy(SECRET, 0, around, prefix, SECRET.length);
            assertThat(Canary.foundIn(Base64.getEncoder().encodeToString(around)))
                    .as("base64, %d bytes before", prefix)
                    .isPresent();
            assertThat(Canary.foundIn(Base64.getUrlEncoder().encodeToString(around)))
                    .as("base64url, %d bytes before", prefix)
                    .isPresent();
            assertThat(Canary.foundIn(HexFormat.of().withUpperCase().formatHex(around)))
                    .as("hex")
                    .isPresent();
        }
        assertThat(Canary.foundIn("q=" + URLEncoder.encode("x " + Canary.SECRET + "&", StandardCharsets.UTF_8)))
                .isPresent();
        StringBuilder percent = new StringBuilder();
        for (byte b : SECRET) {
            percent.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        assertThat(Canary.foundIn("/path/" + percent)).contains("percent-encoded");
        assertThat(Canary.foundIn("{\"token\":\"***\"} " + Canary.SECRET.substring(1)))
                .isEmpty();
    }

    @Test
    void aCanaryPlantedInAnyColumnTypeAndFormIsReportedWithTableColumnAndForm() throws Exception {
        try (TestDatabase database = TestDatabase.create();
                Connection db = database.connect()) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute(
                        "CREATE TABLE planted (id int PRIMARY KEY, note text, label varchar(200), doc jsonb, blob bytea, tags text[])");
                ddl.execute("CREATE SCHEMA other");
                ddl.execute("CREATE TABLE other.clean (note text)");
                ddl.execute("INSERT INTO other.clean VALUES ('nothing here')");
            }
            try (PreparedStatement insert =
                    db.prepareStatement("INSERT INTO planted VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?)")) {
                plant(insert, db, 1, Canary.SECRET, null, "{}", null);
                plant(
                        insert,
                        db,
                        2,
                        null,
                        "x"
                                + Base64.getEncoder()
                                        .encodeToString(("ab" + Canary.SECRET).getBytes(StandardCharsets.UTF_8)),
                        "{}",
                        null);
                plant(
                        insert,
                        db,
                        3,
                        null,
                        null,
                        "{\"u\": \""
                                + Base64.getUrlEncoder()
                                        .encodeToString(("a" + Canary.SECRET).getBytes(StandardCharsets.UTF_8))
                                + "\"}",
                        null);
                byte[] blob = ("sealed?" + Canary.SECRET).getBytes(StandardCharsets.UTF_8);
                plant(insert, db, 4, null, null, "{}", blob);
                plant(insert, db, 5, "nothing", "here", "{\"token\": \"***\"}", new byte[] {1, 2, 3});
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO planted (id, tags) VALUES (6, ?)")) {
                insert.setArray(1, db.createArrayOf("text", new String[] {
                    "a", HexFormat.of().formatHex(SECRET)
                }));
                insert.executeUpdate();
            }

            DatabaseScan scan = DatabaseScan.scan(database.name(), db, Canary.forms());

            assertThat(scan.hits())
                    .containsExactlyInAnyOrder(
                            database.name() + ": planted.note (row 1, plaintext)",
                            database.name() + ": planted.label (row 2, base64+2)",
                            database.name() + ": planted.doc (row 3, base64+1)",
                            database.name() + ": planted.blob (row 4, plaintext)",
                            database.name() + ": planted.tags (row 6, hex)");
            assertThat(scan.rowsByTable()).containsEntry("planted", 6L).containsEntry("other.clean", 1L);
            assertThat(CanaryFindings.of(List.of(), List.of(scan)).hits()).hasSize(5);
            try (Statement ddl = db.createStatement()) {
                ddl.execute("DROP TABLE planted");
            }
        }
    }

    private static void plant(
            PreparedStatement insert, Connection db, int id, String note, String label, String doc, byte[] blob)
            throws Exception {
        insert.setInt(1, id);
        insert.setString(2, note);
        insert.setString(3, label);
        insert.setString(4, doc);
        insert.setBytes(5, blob);
        insert.setArray(6, db.createArrayOf("text", new String[0]));
        insert.executeUpdate();
    }

    @Test
    void credentialsOrAnEventStoredUnsealedInTheHubsOwnSchemaAreReported() throws Exception {
        String name;
        try (TestHub hub = TestHub.start(Map.of())) {
            name = hub.database().name();
            String id = Providers.create(hub, "canary-scan", """
                    {"name": "psp", "type": "payment", "baseUrl": "https://psp.example",
                     "auth": {"type": "bearer", "credentials": {"token": "%s"}}}""".formatted(Canary.SECRET));
            try (Connection db = hub.database().connect()) {
                assertThat(DatabaseScan.scan(name, db, Canary.forms()).hits())
                        .as("sealed as it should be")
                        .isEmpty();
                byte[] sealed;
                try (PreparedStatement read =
                        db.prepareStatement("SELECT credentials_sealed FROM providers WHERE id = ?")) {
                    read.setString(1, id);
                    try (ResultSet row = read.executeQuery()) {
                        row.next();
                        sealed = row.getBytes(1);
                    }
                }
                // Sealing broken: the credentials document in the clear, and an event carrying the token URL-encoded.
                try (PreparedStatement unseal =
                        db.prepareStatement("UPDATE providers SET credentials_sealed = ? WHERE id = ?")) {
                    unseal.setBytes(1, ("{\"token\":\"" + Canary.SECRET + "\"}").getBytes(StandardCharsets.UTF_8));
                    unseal.setString(2, id);
                    unseal.executeUpdate();
                }
                try (PreparedStatement event =
                        db.prepareStatement("INSERT INTO outbox (event_id, aggregate_key, type, payload, created_at)"
                                + " VALUES ('planted', ?, 'provider.updated', CAST(? AS jsonb), now())")) {
                    event.setString(1, id);
                    event.setString(
                            2,
                            "{\"data\": {\"url\": \"https://psp.example/?token=%"
                                    + HexFormat.of().formatHex(SECRET, 0, 1)
                                    + URLEncoder.encode(Canary.SECRET.substring(1), StandardCharsets.UTF_8) + "\"}}");
                    event.executeUpdate();
                }

                assertThat(DatabaseScan.scan(name, db, Canary.forms()).hits())
                        .containsExactlyInAnyOrder(
                                name + ": providers.credentials_sealed (row 1, plaintext)",
                                name + ": outbox.payload (row 2, percent-encoded)");

                try (PreparedStatement reseal =
                                db.prepareStatement("UPDATE providers SET credentials_sealed = ? WHERE id = ?");
                        Statement delete = db.createStatement()) {
                    reseal.setBytes(1, sealed);
                    reseal.setString(2, id);
                    reseal.executeUpdate();
                    delete.execute("DELETE FROM outbox WHERE event_id = 'planted'");
                }
            }
        }
        assertThat(Canary.databaseScans())
                .filteredOn(scan -> scan.database().equals(name))
                .singleElement()
                .satisfies(scan -> assertThat(scan.hits())
                        .as("the scan as the database was dropped")
                        .isEmpty());
    }

    @Test
    void aCanaryInAGrpcMessageStatusOrTrailerIsReported() throws Exception {
        Metadata.Key<String> debug = Metadata.Key.of("x-debug", Metadata.ASCII_STRING_MARSHALLER);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new IntegrationHubServiceGrpc.IntegrationHubServiceImplBase() {
                    @Override
                    public void getProvider(GetProviderRequest request, StreamObserver<Provider> out) {
                        out.onNext(Provider.newBuilder()
                                .setName("leaky")
                                .setAuth(Auth.newBuilder().setType("bearer").putCredentials("token", Canary.SECRET))
                                .build());
                        out.onCompleted();
                    }

                    @Override
                    public void getDeadLetter(GetDeadLetterRequest request, StreamObserver<DeadLetter> out) {
                        Metadata trailers = new Metadata();
                        trailers.put(
                                debug,
                                Base64.getEncoder()
                                        .encodeToString(("k=" + Canary.SECRET).getBytes(StandardCharsets.UTF_8)));
                        out.onError(Status.NOT_FOUND
                                .withDescription("no dead letter")
                                .asRuntimeException(trailers));
                    }
                })
                .build()
                .start();
        List<Canary.Entry> seen = new ArrayList<>();
        try (GrpcClient client =
                new GrpcClient(server.getPort(), (source, text) -> seen.add(new Canary.Entry(source, text)))) {
            var stub = client.stub("token");
            stub.getProvider(GetProviderRequest.newBuilder().setId("leaky").build());
            try {
                stub.getDeadLetter(GetDeadLetterRequest.newBuilder().setId("x").build());
            } catch (StatusRuntimeException expected) {
                // the trailer is what is looked at
            }
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(CanaryFindings.of(seen, List.of()).hits())
                .containsExactly("grpc GetProvider (plaintext)", "grpc GetDeadLetter (base64+2)");
        assertThat(Canary.journal())
                .as("planted answers stay out of the run's journal")
                .noneMatch(e -> e.source().startsWith("grpc ") && e.text().contains("leaky"));
    }

    @Test
    void aCanaryInAKafkaEventIsReported() throws Exception {
        String bootstrap = "127.0.0.1:9092";
        String topic = "hub-test-canary-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        ByteArraySerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        ByteArraySerializer.class))) {
                    producer.send(new ProducerRecord<>(
                                    topic,
                                    0,
                                    "p1".getBytes(StandardCharsets.UTF_8),
                                    "{\"type\":\"provider.created\",\"data\":{}}".getBytes(StandardCharsets.UTF_8)))
                            .get();
                    producer.send(new ProducerRecord<>(
                                    topic,
                                    1,
                                    "p2".getBytes(StandardCharsets.UTF_8),
                                    ("{\"type\":\"provider.updated\",\"data\":{\"auth\":\""
                                                    + Base64.getEncoder()
                                                            .encodeToString(("Bearer " + Canary.SECRET)
                                                                    .getBytes(StandardCharsets.UTF_8))
                                                    + "\"}}")
                                            .getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
                List<Canary.Entry> events = KafkaTopicScan.read(bootstrap, topic);

                assertThat(events).hasSize(2);
                assertThat(CanaryFindings.of(events, List.of()).hits())
                        .containsExactly("kafka " + topic + " (base64+1)");
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
