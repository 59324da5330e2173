package io.integrationhub.dataplane.config;

/**
 * Where the events of the outbox go.
 *
 * @param bootstrap INTEGRATION_KAFKA_BOOTSTRAP (host:port[,host:port...]), or null: events go to the log
 * @param topic     INTEGRATION_KAFKA_TOPIC
 */
public record KafkaSettings(String bootstrap, String topic) {
    public boolean enabled() {
        return bootstrap != null;
    }
}
