package io.integrationhub.dataplane.config;

/**
 * The dead letter queue's retry queue.
 *
 * @param url   INTEGRATION_RABBITMQ_URL, or null: retries go through an in-process queue
 * @param queue the queue's name (INTEGRATION_RABBITMQ_QUEUE)
 */
public record RabbitMqSettings(String url, String queue) {
    public boolean enabled() {
        return url != null;
    }

    @Override
    public String toString() {
        // The URL may carry a password.
        return "RabbitMq[" + (enabled() ? "configured" : "none") + ", queue=" + queue + "]";
    }
}
