package io.integrationhub.cli.dev;

import io.integrationhub.cli.error.HubctlException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The HS256 secret a standalone hub generated for itself: {@code jwtSecret} in
 * {@code dev-secrets.properties} of its state directory (written by the data plane's
 * {@code DevelopmentSecrets}, mode 0600). Read only, never shown.
 */
final class DevelopmentSecret {
    static final String FILE = "dev-secrets.properties";

    private DevelopmentSecret() {}

    static String read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw HubctlException.usage("no development secret in " + file + ": start a standalone hub first"
                    + " (scripts/run), or point --state-dir at its INTEGRATION_STATE_DIR");
        } catch (IOException e) {
            throw HubctlException.usage("cannot read " + file + ": " + e.getMessage(), e);
        }
        String secret = properties.getProperty("jwtSecret");
        if (secret == null || secret.isBlank()) {
            throw HubctlException.usage(file + " holds no jwtSecret: it is not a standalone hub's state directory");
        }
        return secret;
    }
}
