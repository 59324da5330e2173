package io.integrationhub.controlplane.reconcile;

import static io.integrationhub.controlplane.TestResources.apiKeyProvider;
import static io.integrationhub.controlplane.TestResources.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.integrationhub.controlplane.TestResources;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.RegistryDocument;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.spec.RetryConfig;
import io.integrationhub.crds.spec.SecretRef;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.provider.ProviderSpec;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.Canary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Provider resource and its Secret become the registry's validated spec, or a typed not-ready reason. */
class ProviderTranslatorTest {
    private final ProviderTranslator translator = new ProviderTranslator(new ProviderValidator(false));

    @Test
    void theTenantIsSpecTenantIdOrElseTheNamespace() {
        Provider provider = apiKeyProvider("payments", "psp", "psp-creds");
        assertThat(ProviderTranslator.tenantOf(provider)).isEqualTo("payments");
        provider.getSpec().setTenantId("acme");
        assertThat(ProviderTranslator.tenantOf(provider)).isEqualTo("acme");
    }

    @Test
    void theRegistryDocumentIsTheRestShapeWithoutTenantAndWithCredentialsForTheSecretRef() {
        Provider provider = apiKeyProvider("payments", "psp", "psp-creds");
        provider.getSpec().setTenantId("acme");
        assertThat(RegistryDocument.of(provider, Map.of("apiKey", "k")))
                .isEqualTo(Json.mapper()
                        .valueToTree(Map.of(
                                "name", "psp",
                                "type", "payment",
                                "baseUrl", "https://api.psp.example.com/v1",
                                "auth",
                                        Map.of(
                                                "type",
                                                "api_key",
                                                "in",
                                                "header",
                                                "name",
                                                "X-Api-Key",
                                                "credentials",
                                                Map.of("apiKey", "k")),
                                "config", Map.of("timeoutMs", 5000))));
    }

    @Test
    void aValidProviderAndSecretGiveTheSpecWithTheMappedCredential() throws NotReadyException {
        Provider provider = apiKeyProvider("payments", "psp", "psp-creds");
        Map<String, String> keys = translator.checkSpec(provider);
        assertThat(keys).containsExactly(Map.entry("apiKey", "api-key"));

        ProviderSpec spec = translator.resolve(
                provider,
                keys,
                Optional.of(secret("payments", "psp-creds", Map.of("api-key", Canary.SECRET, "unrelated", "x"))));
        assertThat(spec.name()).isEqualTo("psp");
        assertThat(spec.credentials().entries()).containsExactly(Map.entry("apiKey", Canary.SECRET));
        assertThat(spec.config().timeoutMs()).isEqualTo(5000);
        assertThat(spec.config().retry().maxAttempts()).isEqualTo(5); // the registry's default
    }

    @Test
    void unmappedCredentialEntriesAreReadFromSecretKeysOfTheSameName() throws NotReadyException {
        AuthSpec auth = new AuthSpec();
        auth.setType(AuthType.BASIC);
        auth.setSecretRef(new SecretRef("mailer-creds", null));
        Provider provider = TestResources.provider("mail", "mailer", auth);
        Secret basicAuth = new SecretBuilder()
                .withNewMetadata()
                .withName("mailer-creds")
                .endMetadata()
                .withType("kubernetes.io/basic-auth")
                .withStringData(Map.of("username", "hub", "password", Canary.SECRET))
                .build();

        ProviderSpec spec = translator.resolve(provider, translator.checkSpec(provider), Optional.of(basicAuth));
        assertThat(spec.credentials().entries()).isEqualTo(Map.of("username", "hub", "password", Canary.SECRET));
    }

    @Test
    void everyBrokenRuleIsNamedByItsPathInTheResource() {
        Provider provider = apiKeyProvider("payments", "Bad_Name", "psp-creds");
        provider.getSpec().setBaseUrl("https://api.example.com/v1?key=1");
        provider.getSpec().getAuth().setName("Host");
        RetryConfig retry = new RetryConfig();
        retry.setMaxAttempts(11);
        provider.getSpec().getConfig().setRetry(retry);
        provider.getSpec().getConfig().setDefaultHeaders(Map.of("Authorization", "x"));

        assertThatThrownBy(() -> translator.checkSpec(provider)).isInstanceOfSatisfying(NotReadyException.class, e -> {
            assertThat(e.reason()).isEqualTo(ReadyReason.InvalidSpec);
            assertThat(e.getMessage())
                    .contains(
                            "metadata.name: must be a DNS-1123 label",
                            "spec.baseUrl: must not have a query",
                            "spec.auth.name: header 'Host' is owned by the hub",
                            "spec.config.retry.maxAttempts: must be an integer from 1 to 10",
                            "spec.config.defaultHeaders.Authorization: is owned by the hub");
        });
    }

    @Test
    void insecureHttpIsRejectedUnlessTheHubAllowsIt() throws NotReadyException {
        Provider provider = apiKeyProvider("payments", "psp", "psp-creds");
        provider.getSpec().setBaseUrl("http://psp.internal");
        assertThatThrownBy(() -> translator.checkSpec(provider))
                .hasMessageContaining("spec.baseUrl: must be an https URL");
        assertThat(new ProviderTranslator(new ProviderValidator(true)).checkSpec(provider))
                .isNotEmpty();
    }

    @Test
    void theSecretRefMustFitTheAuthType() {
        Provider bearerWithoutSecret = TestResources.provider("ns", "p", auth(AuthType.BEARER, null));
        assertThat(reason(bearerWithoutSecret)).isEqualTo(ReadyReason.InvalidSpec);
        assertThatThrownBy(() -> translator.checkSpec(bearerWithoutSecret))
                .hasMessageContaining("spec.auth.secretRef: is required for auth type bearer");

        Provider noneWithSecret = TestResources.provider("ns", "p", auth(AuthType.NONE, new SecretRef("s", null)));
        assertThatThrownBy(() -> translator.checkSpec(noneWithSecret))
                .hasMessageContaining("spec.auth.secretRef: is not used by auth type none");

        Provider wrongEntry =
                TestResources.provider("ns", "p", auth(AuthType.BEARER, new SecretRef("s", Map.of("apiKey", "k"))));
        assertThatThrownBy(() -> translator.checkSpec(wrongEntry))
                .hasMessageContaining(
                        "spec.auth.secretRef.keys.apiKey: is not a credential of auth type bearer (its credentials are [token])");

        Provider badKey =
                TestResources.provider("ns", "p", auth(AuthType.BEARER, new SecretRef("s", Map.of("token", "a/b"))));
        assertThatThrownBy(() -> translator.checkSpec(badKey))
                .hasMessageContaining("spec.auth.secretRef.keys.token: must be a Secret key");
    }

    /** Found by the resource fuzzer: a secretRef without name passed checkSpec and resolve failed with NoSuchElementException. */
    @Test
    void theSecretRefMustNameASecretThatCanExist() {
        Provider unnamed = TestResources.provider("ns", "p", auth(AuthType.BEARER, new SecretRef(null, null)));
        assertThatThrownBy(() -> translator.checkSpec(unnamed))
                .isInstanceOfSatisfying(
                        NotReadyException.class, e -> assertThat(e.reason()).isEqualTo(ReadyReason.InvalidSpec))
                .hasMessage("spec.auth.secretRef.name: is required");

        for (String name : List.of("", "Not_A_Name", "a/b", "x".repeat(254), "nul\u0000")) {
            Provider badName = TestResources.provider("ns", "p", auth(AuthType.BEARER, new SecretRef(name, null)));
            assertThatThrownBy(() -> translator.checkSpec(badName))
                    .as(name)
                    .isInstanceOfSatisfying(
                            NotReadyException.class, e -> assertThat(e.reason()).isEqualTo(ReadyReason.InvalidSpec))
                    .hasMessage(
                            "spec.auth.secretRef.name: must be a Secret name (a DNS-1123 subdomain of at most 253 characters)");
        }
    }

    @Test
    void aMissingSecretOrKeyIsReportedByNameAndNoValueIsEverQuoted() throws NotReadyException {
        Provider provider = TestResources.provider("ns", "ads", oauth2());
        Map<String, String> keys = translator.checkSpec(provider);

        assertThatThrownBy(() -> translator.resolve(provider, keys, Optional.empty()))
                .isInstanceOfSatisfying(
                        NotReadyException.class, e -> assertThat(e.reason()).isEqualTo(ReadyReason.SecretNotFound))
                .hasMessage("Secret ads-creds not found in namespace ns");

        Secret partial = secret("ns", "ads-creds", Map.of("client-id", Canary.SECRET));
        assertThatThrownBy(() -> translator.resolve(provider, keys, Optional.of(partial)))
                .isInstanceOfSatisfying(
                        NotReadyException.class, e -> assertThat(e.reason()).isEqualTo(ReadyReason.SecretKeyMissing))
                .hasMessage(
                        "Secret ads-creds has no key 'client-secret' (credential clientSecret); its keys are [client-id]");

        Secret badValue = secret("ns", "ads-creds", Map.of("client-id", Canary.SECRET, "client-secret", "tab\there"));
        assertThatThrownBy(() -> translator.resolve(provider, keys, Optional.of(badValue)))
                .isInstanceOfSatisfying(NotReadyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReadyReason.InvalidCredentials);
                    assertThat(e.getMessage())
                            .isEqualTo("Secret ads-creds key 'client-secret' (credential clientSecret):"
                                    + " must not contain control characters");
                });
    }

    private ReadyReason reason(Provider provider) {
        try {
            translator.checkSpec(provider);
            return ReadyReason.Reconciled;
        } catch (NotReadyException e) {
            return e.reason();
        }
    }

    private static AuthSpec auth(AuthType type, SecretRef ref) {
        AuthSpec auth = new AuthSpec();
        auth.setType(type);
        auth.setSecretRef(ref);
        return auth;
    }

    private static AuthSpec oauth2() {
        AuthSpec auth = auth(
                AuthType.OAUTH2_CLIENT_CREDENTIALS,
                new SecretRef("ads-creds", Map.of("clientId", "client-id", "clientSecret", "client-secret")));
        auth.setTokenUrl("https://auth.example.com/token");
        auth.setScopes(List.of("ads.read"));
        return auth;
    }
}
