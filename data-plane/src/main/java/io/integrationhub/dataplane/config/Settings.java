package io.integrationhub.dataplane.config;

import io.integrationhub.registry.db.DatabaseSettings;

/**
 * Every setting of the data plane, checked, one record per component: each component is handed
 * only its own part. An optional adapter's part says whether it is configured (the in-process
 * adapter is used when not). {@code database} is null only in standalone mode before the embedded
 * database is started; the master keys and JWT secret likewise until generated.
 */
public record Settings(
        Mode mode,
        Listeners listeners,
        DatabaseSettings database,
        ValkeySettings valkey,
        RabbitMqSettings rabbitMq,
        KafkaSettings kafka,
        MasterKeySettings masterKeys,
        TokenSettings tokens,
        EgressSettings egress,
        ProviderDefaults providers,
        Observability observability,
        StateDirectories directories,
        DataPathSettings dataPath) {

    /** Standalone mode: the embedded database, once started. */
    public Settings withDatabase(DatabaseSettings value) {
        return new Settings(
                mode,
                listeners,
                value,
                valkey,
                rabbitMq,
                kafka,
                masterKeys,
                tokens,
                egress,
                providers,
                observability,
                directories,
                dataPath);
    }

    /** Standalone mode: the development secrets, where none were given. */
    public Settings withSecrets(MasterKeySettings keys, TokenSettings tokenSettings) {
        return new Settings(
                mode,
                listeners,
                database,
                valkey,
                rabbitMq,
                kafka,
                keys,
                tokenSettings,
                egress,
                providers,
                observability,
                directories,
                dataPath);
    }
}
