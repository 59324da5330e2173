package io.integrationhub.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CRD generated from the model has the names, columns and bounds DESIGN §2 and §7 ask for. */
class GeneratedCrdTest {

    @Test
    void isTheNamespacedProvidersV1ResourceWithShortNameProv() {
        CustomResourceDefinition crd = GeneratedCrd.load();
        assertThat(crd.getMetadata().getName()).isEqualTo("providers.integrationhub.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("integrationhub.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("Provider");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("providers");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("prov");
        assertThat(crd.getSpec().getVersions())
                .extracting(CustomResourceDefinitionVersion::getName)
                .containsExactly("v1");
    }

    @Test
    void hasAStatusSubresourceSoThatSpecEditsCannotOverwriteStatus() {
        assertThat(GeneratedCrd.v1().getSubresources().getStatus()).isNotNull();
        assertThat(GeneratedCrd.v1().getServed()).isTrue();
        assertThat(GeneratedCrd.v1().getStorage()).isTrue();
    }

    @Test
    void kubectlGetShowsUrlAuthReadyCircuitAndAgeInThatOrder() {
        // The generator sorts columns by JSON path (AGE first); the build puts them back in the model's order.
        assertThat(GeneratedCrd.v1().getAdditionalPrinterColumns())
                .extracting(c -> c.getName(), c -> c.getJsonPath(), c -> c.getType())
                .containsExactly(
                        tuple("URL", ".spec.baseUrl", "string"),
                        tuple("AUTH", ".spec.auth.type", "string"),
                        tuple("READY", ".status.conditions[?(@.type==\"Ready\")].status", "string"),
                        tuple("CIRCUIT", ".status.circuit", "string"),
                        tuple("AGE", ".metadata.creationTimestamp", "date"));
    }

    @ParameterizedTest(name = "{0} in {1}..{2}")
    @CsvSource({
        "spec.config.timeoutMs, 1, 30000",
        "spec.config.rateLimitPerSec, 1, 100000",
        "spec.config.maxConcurrency, 1, 100000",
        "spec.config.retry.maxAttempts, 1, 10",
        "spec.config.retry.baseDelayMs, 0, 60000",
        "spec.config.retry.multiplier, 1, 10",
        "spec.config.retry.jitterMs, 0, 10000",
        "spec.config.retry.budgetPercent, 0, 100",
        "spec.config.circuitBreaker.failureThreshold, 1, 1000",
        "spec.config.circuitBreaker.failureWindowSec, 1, 3600",
        "spec.config.circuitBreaker.openSec, 1, 3600",
        "spec.config.circuitBreaker.halfOpenProbes, 1, 10",
    })
    void boundsAreDesignSectionTwosInclusiveRanges(String path, double min, double max) {
        JSONSchemaProps field = GeneratedCrd.at(path);
        assertThat(field.getMinimum()).isEqualTo(min);
        assertThat(field.getMaximum()).isEqualTo(max);
        assertThat(field.getExclusiveMinimum()).isNotEqualTo(Boolean.TRUE);
        assertThat(field.getExclusiveMaximum()).isNotEqualTo(Boolean.TRUE);
        assertThat(field.getType()).isEqualTo(path.endsWith("multiplier") ? "number" : "integer");
    }

    @Test
    void enumsCarryTheWireNames() {
        assertThat(GeneratedCrd.at("spec.type").getEnum())
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyInAnyOrder("payment", "sms", "email", "analytics", "advertising", "custom");
        assertThat(GeneratedCrd.at("spec.auth.type").getEnum())
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyInAnyOrder("none", "api_key", "bearer", "basic", "oauth2_client_credentials");
        assertThat(GeneratedCrd.at("spec.auth.in").getEnum())
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyInAnyOrder("header", "query");
        assertThat(GeneratedCrd.at("spec.status").getEnum())
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyInAnyOrder("active", "disabled");
        assertThat(GeneratedCrd.at("status.circuit").getEnum())
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyInAnyOrder("Closed", "Open", "HalfOpen", "Unknown");
    }

    @Test
    void requiredFieldsAndUrlPatternAreInTheSchema() {
        assertThat(GeneratedCrd.at("spec").getRequired()).containsExactlyInAnyOrder("type", "baseUrl");
        assertThat(GeneratedCrd.at("spec.auth").getRequired()).containsExactly("type");
        assertThat(GeneratedCrd.at("spec.auth.secretRef").getRequired()).containsExactly("name");
        String urlPattern = GeneratedCrd.at("spec.baseUrl").getPattern();
        assertThat("https://api.example.com/v1").matches(urlPattern);
        assertThat("http://localhost:8080").matches(urlPattern);
        assertThat("ftp://api.example.com").doesNotMatch(urlPattern);
        assertThat("https://user@api.example.com").doesNotMatch(urlPattern);
        assertThat("https://api.example.com/v1?key=x").doesNotMatch(urlPattern);
        assertThat(GeneratedCrd.at("spec.baseUrl").getMaxLength()).isEqualTo(2048L);
    }

    @Test
    void celRulesMakeTenantImmutableAndRequireWhatEachAuthTypeNeeds() {
        assertThat(GeneratedCrd.at("spec").getXKubernetesValidations())
                .extracting(ValidationRule::getRule)
                .singleElement()
                .asString()
                .contains("oldSelf.tenantId");
        assertThat(GeneratedCrd.at("spec.auth").getXKubernetesValidations())
                .extracting(ValidationRule::getRule)
                .containsExactlyInAnyOrder(
                        "(self.type == 'none') == !has(self.secretRef)",
                        "self.type != 'api_key' || has(self.name)",
                        "self.type != 'oauth2_client_credentials' || has(self.tokenUrl)");
    }
}
