package io.integrationhub.dataplane;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenIssuer;
import io.integrationhub.dataplane.config.MasterKeySettings;
import io.integrationhub.dataplane.config.Mode;
import io.integrationhub.dataplane.config.Settings;
import io.integrationhub.dataplane.config.SettingsException;
import io.integrationhub.dataplane.config.SettingsLoader;
import io.integrationhub.dataplane.config.TokenSettings;
import io.integrationhub.dataplane.standalone.DevelopmentSecrets;
import io.integrationhub.dataplane.standalone.EmbeddedDatabase;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** Starts the data plane; in standalone mode also its embedded database and development secrets. */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());
    static final String DEV_TENANT = "default";
    /** The standalone development token's lifetime, unless INTEGRATION_JWT_MAX_TTL is shorter. */
    static final Duration DEV_TOKEN_LIFETIME = Duration.ofDays(30);

    private Main() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        Settings settings;
        try {
            settings = new SettingsLoader(System::getenv, config.get("hub")).load();
        } catch (SettingsException e) {
            System.err.println("integration-hub: " + e.getMessage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        List<AutoCloseable> resources = new ArrayList<>();
        String devToken = null;
        try {
            if (settings.mode() == Mode.STANDALONE) {
                if (settings.database() == null) {
                    EmbeddedDatabase embedded =
                            EmbeddedDatabase.start(settings.directories().stateDir());
                    resources.add(embedded);
                    settings = settings.withDatabase(embedded.settings());
                }
                DevelopmentSecrets secrets =
                        DevelopmentSecrets.loadOrGenerate(settings.directories().stateDir());
                if (secrets.generated()) {
                    LOG.info("standalone: generated a development master key and JWT secret in "
                            + settings.directories().stateDir());
                }
                MasterKeySettings keys = settings.masterKeys();
                TokenSettings tokens = settings.tokens();
                settings = settings.withSecrets(
                        keys.keys() != null ? keys : new MasterKeySettings(secrets.masterKeys(), null),
                        tokens.jwtSecret() != null
                                ? tokens
                                : new TokenSettings(secrets.jwtSecret(), tokens.jwksUrl(), tokens.rules()));
                if (settings.tokens().jwtSecret() != null) {
                    devToken = new TokenIssuer(
                                    settings.tokens().jwtSecret(),
                                    settings.tokens().rules())
                            .issue("developer", DEV_TENANT, DEV_TOKEN_LIFETIME, Scope.values());
                }
            }
            Hub hub = Hub.start(settings, config.get("server"));
            resources.add(0, hub);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(resources), "hub-shutdown"));
            announce(System.out, hub, settings, devToken, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            closeAll(resources);
            System.err.println("integration-hub: failed to start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void announce(PrintStream out, Hub hub, Settings settings, String devToken, Duration startup) {
        String host = settings.listeners().host();
        String url = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + hub.port();
        out.println("Integration Hub ready at " + url + " (gRPC on port " + hub.grpcPort() + "; "
                + settings.mode().name().toLowerCase() + ", started in " + startup.toMillis() + " ms)");
        if (devToken != null) {
            out.println("Development token for tenant '" + DEV_TENANT + "' (all scopes, expires "
                    + Instant.now()
                            .plus(settings.tokens().rules().lifetime(DEV_TOKEN_LIFETIME))
                            .truncatedTo(ChronoUnit.SECONDS)
                    + "):");
            out.println("export HUB_URL=" + url);
            out.println("export HUB_TOKEN=" + devToken);
        }
        out.flush();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warning("shutdown: " + e.getMessage());
            }
        }
        resources.clear();
    }
}
