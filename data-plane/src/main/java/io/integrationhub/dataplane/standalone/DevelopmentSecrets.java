package io.integrationhub.dataplane.standalone;

import io.integrationhub.registry.crypto.MasterKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The master key and JWT secret of a standalone hub, generated on first start and kept (mode 0600)
 * in the state directory, so that sealed credentials still open and tokens stay valid after a restart.
 */
public record DevelopmentSecrets(String masterKeys, String jwtSecret, boolean generated) {
    private static final String FILE = "dev-secrets.properties";

    public static DevelopmentSecrets loadOrGenerate(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                }
                return new DevelopmentSecrets(
                        properties.getProperty("masterKeys"), properties.getProperty("jwtSecret"), false);
            }
            Files.createDirectories(stateDir);
            byte[] jwt = new byte[32];
            new SecureRandom().nextBytes(jwt);
            DevelopmentSecrets secrets = new DevelopmentSecrets(
                    MasterKeys.generateSpec("dev1"),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(jwt),
                    true);
            Properties properties = new Properties();
            properties.setProperty("masterKeys", secrets.masterKeys());
            properties.setProperty("jwtSecret", secrets.jwtSecret());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "Integration Hub standalone development secrets; never use in production");
            }
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException("development secrets could not be kept in " + file, e);
        }
    }

    @Override
    public String toString() {
        return "DevelopmentSecrets[generated=" + generated + "]";
    }
}
