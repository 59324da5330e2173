package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.config.ConfigStore;
import io.integrationhub.cli.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What hubctl remembers of its own applies, so that credentials it cannot read back (the hub shows
 * them only as {@code ***}) can still be judged unchanged: per hub, tenant and provider name, the
 * provider's id and version right after hubctl wrote it, and an HMAC-SHA256 of the credentials
 * under a random key of this directory (never the credentials). Credentials count as unchanged only
 * when the fingerprint matches AND the provider is still at the recorded version (nobody, hubctl or
 * another writer, changed it since). Files are private to the user ({@code 0600} in a {@code 0700}
 * directory). Losing them is harmless: the next apply re-sends the credentials.
 */
final class AppliedRecords {
    private static final String KEY_FILE = ".key";

    private final Path directory;
    private byte[] key;

    AppliedRecords(Path directory) {
        this.directory = directory;
    }

    /** The record of hubctl's last write of a provider. */
    record Record(String id, long version, String fingerprint) {}

    Optional<Record> read(URI endpoint, String tenantId, String name) {
        try {
            JsonNode node = Json.mapper().readTree(Files.readAllBytes(file(endpoint, tenantId, name)));
            return Optional.of(
                    new Record(Json.text(node, "id"), node.path("version").asLong(-1), Json.text(node, "credentials")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable record only costs a re-send
        }
    }

    void write(URI endpoint, String tenantId, String name, Record record) throws IOException {
        ObjectNode node = Json.object()
                .put("endpoint", endpoint.toString())
                .put("tenantId", tenantId)
                .put("name", name)
                .put("id", record.id())
                .put("version", record.version())
                .put("credentials", record.fingerprint());
        ConfigStore.writePrivateFile(
                file(endpoint, tenantId, name), Json.mapper().writeValueAsBytes(node));
    }

    /** An HMAC of the credential entries (sorted) under this directory's key. */
    String fingerprint(Map<String, String> credentials) throws IOException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] digest = mac.doFinal(Json.mapper().writeValueAsBytes(new TreeMap<>(credentials)));
            return "hmac-sha256:" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private byte[] key() throws IOException {
        if (key != null) {
            return key;
        }
        Path file = directory.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            ConfigStore.writePrivateFile(file, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII));
        }
        key = HexFormat.of()
                .parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
        return key;
    }

    private Path file(URI endpoint, String tenantId, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((endpoint + "\n" + tenantId + "\n" + name).getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".json");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
