package io.integrationhub.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.HubClient.Answer;
import java.util.Map;

/** Creates providers through the REST API, as a platform team would. */
public final class Providers {
    public static final String PATH = "/api/v1/integrations/providers";

    private Providers() {}

    /** Creates a provider from a JSON document and returns its id. */
    public static String create(TestHub hub, String tenant, String json) {
        Answer answer = hub.client()
                .send("POST", PATH, hub.adminToken(tenant), json, Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().path("id").asText();
    }

    /**
     * A provider at WireMock on 127.0.0.1. Loopback is an internal address, so the document allows
     * the private network explicitly (one test proves the same call is refused without it).
     */
    public static String local(String name, int port, String auth, String config) {
        return """
                {"name": "%s", "type": "custom", "baseUrl": "http://127.0.0.1:%d",
                 "auth": %s,
                 "config": {"allowPrivateNetwork": true %s}}""".formatted(name, port, auth, config.isEmpty() ? "" : ", " + config);
    }
}
