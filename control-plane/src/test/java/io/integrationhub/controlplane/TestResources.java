package io.integrationhub.controlplane;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.spec.ApiKeyLocation;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.spec.ProviderConfig;
import io.integrationhub.crds.spec.ProviderSpec;
import io.integrationhub.crds.spec.ProviderType;
import io.integrationhub.crds.spec.SecretRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Provider and Secret objects as a user would write them. */
public final class TestResources {
    private TestResources() {}

    /** A Secret as the API server returns it: values base64-encoded in {@code data}. */
    public static Secret secret(String namespace, String name, Map<String, String> plaintext) {
        Map<String, String> data = new LinkedHashMap<>();
        plaintext.forEach(
                (k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(namespace)
                        .withName(name)
                        .build())
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** An api_key Provider reading its key from Secret {@code secretName} key {@code api-key}. */
    public static Provider apiKeyProvider(String namespace, String name, String secretName) {
        AuthSpec auth = new AuthSpec();
        auth.setType(AuthType.API_KEY);
        auth.setIn(ApiKeyLocation.HEADER);
        auth.setName("X-Api-Key");
        auth.setSecretRef(new SecretRef(secretName, Map.of("apiKey", "api-key")));
        return provider(namespace, name, auth);
    }

    public static Provider provider(String namespace, String name, AuthSpec auth) {
        ProviderSpec spec = new ProviderSpec();
        spec.setType(ProviderType.PAYMENT);
        spec.setBaseUrl("https://api." + name + ".example.com/v1");
        spec.setAuth(auth);
        ProviderConfig config = new ProviderConfig();
        config.setTimeoutMs(5000);
        spec.setConfig(config);
        Provider provider = new Provider();
        provider.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        provider.setSpec(spec);
        return provider;
    }
}
