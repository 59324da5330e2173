package io.integrationhub.dataplane.config;

import io.integrationhub.dataplane.auth.TokenRules;
import io.integrationhub.registry.db.DatabaseSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of the data plane, checked. Optional adapters are null when not configured (the
 * in-process adapter is used). {@code database} is null only in standalone mode before the
 * embedded database is started; {@code masterKeys} and {@code jwtSecret} likewise until generated.
 */
public record Settings(
        Mode mode,
        String httpHost,
        int httpPort,
        DatabaseSettings database,
        String valkeyUrl,
        String valkeyPrefix,
        String rabbitMqUrl,
        String rabbitMqQueue,
        String kafkaBootstrap,
        String kafkaTopic,
        String masterKeys,
        String masterKeyId,
        String jwtSecret,
        String jwksUrl,
        int rateLimitPerSec,
        boolean allowInsecureHttp,
        List<Cidr> allowedCidrs,
        int expectedReplicas,
        long maxBodyBytes,
        Path stateDir,
        Path spoolDir,
        int grpcPort,
        String otlpEndpoint,
        TokenRules tokenRules,
        Limits limits,
        Listeners listeners,
        DataPathSettings dataPath) {

    public Settings {
        allowedCidrs = List.copyOf(allowedCidrs);
    }

    public Settings withDatabase(DatabaseSettings value) {
        return new Settings(mode, httpHost, httpPort, value, valkeyUrl, valkeyPrefix, rabbitMqUrl, rabbitMqQueue,
                kafkaBootstrap, kafkaTopic, masterKeys, masterKeyId,
                jwtSecret, jwksUrl, rateLimitPerSec, allowInsecureHttp, allowedCidrs, expectedReplicas, maxBodyBytes, stateDir,
                spoolDir, grpcPort, otlpEndpoint, tokenRules, limits, listeners, dataPath);
    }

    public Settings withSecrets(String keys, String keyId, String secret) {
        return new Settings(mode, httpHost, httpPort, database, valkeyUrl, valkeyPrefix, rabbitMqUrl, rabbitMqQueue,
                kafkaBootstrap, kafkaTopic, keys, keyId,
                secret, jwksUrl, rateLimitPerSec, allowInsecureHttp, allowedCidrs, expectedReplicas, maxBodyBytes, stateDir,
                spoolDir, grpcPort, otlpEndpoint, tokenRules, limits, listeners, dataPath);
    }

    public Settings withHttpPort(int port) {
        return new Settings(mode, httpHost, port, database, valkeyUrl, valkeyPrefix, rabbitMqUrl, rabbitMqQueue,
                kafkaBootstrap, kafkaTopic, masterKeys, masterKeyId,
                jwtSecret, jwksUrl, rateLimitPerSec, allowInsecureHttp, allowedCidrs, expectedReplicas, maxBodyBytes, stateDir,
                spoolDir, grpcPort, otlpEndpoint, tokenRules, limits, listeners, dataPath);
    }

    public Settings withDataPath(DataPathSettings value) {
        return new Settings(mode, httpHost, httpPort, database, valkeyUrl, valkeyPrefix, rabbitMqUrl, rabbitMqQueue,
                kafkaBootstrap, kafkaTopic, masterKeys, masterKeyId,
                jwtSecret, jwksUrl, rateLimitPerSec, allowInsecureHttp, allowedCidrs, expectedReplicas, maxBodyBytes, stateDir,
                spoolDir, grpcPort, otlpEndpoint, tokenRules, limits, listeners, value);
    }

    @Override
    public String toString() {
        // Secrets stay out of every rendering of the settings.
        return "Settings[mode=" + mode + ", http=" + httpHost + ":" + httpPort + ", database=" + database
                + ", valkey=" + (valkeyUrl != null) + ", rabbitmq=" + (rabbitMqUrl != null) + ", kafka=" + kafkaBootstrap
                + ", retryQueue=" + rabbitMqQueue + ", eventsTopic=" + kafkaTopic
                + ", jwks=" + jwksUrl + ", rateLimitPerSec=" + rateLimitPerSec + ", allowInsecureHttp=" + allowInsecureHttp
                + ", allowedCidrs=" + allowedCidrs.size() + ", expectedReplicas=" + expectedReplicas
                + ", maxBodyBytes=" + maxBodyBytes + ", spoolDir=" + spoolDir + ", grpcPort=" + grpcPort + ", otlp=" + otlpEndpoint
                + ", " + tokenRules + ", " + limits + ", " + listeners + ", dataPath=" + dataPath + "]";
    }
}
