package io.integrationhub.registry.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.validation.FieldError;
import io.integrationhub.registry.validation.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderValidatorTest {
    private final ProviderValidator validator = new ProviderValidator(false);

    @Test
    void acceptsAMinimalProviderAndFillsTheDesignDefaults() {
        ProviderSpec spec = validator.validateNew(
                json("{\"name\":\"acme\",\"type\":\"custom\",\"baseUrl\":\"https://acme.test\"}"));
        assertThat(spec.auth().type()).isEqualTo(AuthType.NONE);
        assertThat(spec.status()).isEqualTo(ProviderStatus.ACTIVE);
        assertThat(spec.config()).isEqualTo(ProviderConfig.defaults());
        assertThat(spec.config().timeoutMs()).isEqualTo(10_000);
        assertThat(spec.config().retry()).isEqualTo(new ProviderConfig.Retry(5, 1000, 2.0, 500, 20));
        assertThat(spec.config().circuitBreaker()).isEqualTo(new ProviderConfig.CircuitBreaker(5, 30, 60, 1));
    }

    @Test
    void theStreamIdleTimeoutIsOptionalAndFallsBackToTheCallTimeout() {
        ProviderSpec plain = validator.validateNew(
                json("{\"name\":\"acme\",\"type\":\"custom\",\"baseUrl\":\"https://acme.test\"}"));
        assertThat(plain.config().streamIdleTimeoutMs()).isNull();
        assertThat(plain.config().effectiveStreamIdleTimeoutMs(2_500)).isEqualTo(2_500);
        ProviderSpec streaming = validator.validateNew(json("""
                {"name":"llm","type":"custom","baseUrl":"https://llm.test","config":{"streamIdleTimeoutMs":120000}}"""));
        assertThat(streaming.config().streamIdleTimeoutMs()).isEqualTo(120_000);
        assertThat(streaming.config().effectiveStreamIdleTimeoutMs(2_500)).isEqualTo(120_000);
    }

    @Test
    void fairShareRulesAreReadWithTheirDefaults() {
        ProviderConfig plain = validator
                .validateNew(json("{\"name\":\"acme\",\"type\":\"custom\",\"baseUrl\":\"https://acme.test\"}"))
                .config();
        assertThat(plain.priorityOf("anyone")).isEqualTo(ProviderConfig.Priority.DEFAULT);
        assertThat(plain.effectivePriorityShares()).isEqualTo(new ProviderConfig.PriorityShares(1.0, 0.9, 0.5));
        assertThat(plain.moduleLimit("anyone")).isNull();

        ProviderConfig shared = validator.validateNew(json("""
                {"name":"psp","type":"payment","baseUrl":"https://psp.test","config":{
                  "priorities": {"payments": "critical", "reports": "batch"},
                  "priorityShares": {"batch": 0.25},
                  "moduleLimits": {"reports": 3, "svc:ledger@v2": 7}}}""")).config();
        assertThat(shared.priorityOf("payments")).isEqualTo(ProviderConfig.Priority.CRITICAL);
        assertThat(shared.priorityOf("reports")).isEqualTo(ProviderConfig.Priority.BATCH);
        assertThat(shared.priorityOf("checkout")).isEqualTo(ProviderConfig.Priority.DEFAULT);
        assertThat(shared.effectivePriorityShares()).isEqualTo(new ProviderConfig.PriorityShares(1.0, 0.9, 0.25));
        assertThat(shared.moduleLimit("reports")).isEqualTo(3);
        assertThat(shared.moduleLimit("svc:ledger@v2")).isEqualTo(7);
        // Stored and read back as the same document (the registry keeps config as JSON).
        assertThat(ProviderJson.readConfig(ProviderJson.config(shared).toString()))
                .isEqualTo(shared);
        assertThat(ProviderJson.config(plain).has("priorities")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown class       | {\"priorities\": {\"a\": \"urgent\"}}             | config.priorities.a",
                "class not a string  | {\"priorities\": {\"a\": 1}}                    | config.priorities.a",
                "module with a space | {\"priorities\": {\"a b\": \"batch\"}}            | config.priorities.a b",
                "module with a slash | {\"moduleLimits\": {\"a/b\": 3}}                 | config.moduleLimits.a/b",
                "share zero          | {\"priorityShares\": {\"batch\": 0}}             | config.priorityShares.batch",
                "share above one     | {\"priorityShares\": {\"critical\": 1.5}}        | config.priorityShares.critical",
                "share unknown class | {\"priorityShares\": {\"urgent\": 0.5}}          | config.priorityShares.urgent",
                "shares increasing   | {\"priorityShares\": {\"default\": 0.4, \"batch\": 0.6}} | config.priorityShares",
                "cap zero            | {\"moduleLimits\": {\"a\": 0}}                   | config.moduleLimits.a",
                "cap fractional      | {\"moduleLimits\": {\"a\": 2.5}}                 | config.moduleLimits.a",
                "not an object       | {\"moduleLimits\": [1]}                        | config.moduleLimits",
            })
    void rejectsBadFairShareRules(String description, String config, String field) {
        assertThat(errorsOf("{\"name\":\"acme\",\"type\":\"custom\",\"baseUrl\":\"https://acme.test\",\"config\":"
                        + config + "}"))
                .extracting(FieldError::field)
                .containsExactly(field);
    }

    @Test
    void namesEveryOffendingFieldAtOnce() {
        List<FieldError> errors = errorsOf("""
                {"name": "Not_A_Label", "type": "fax", "baseUrl": "http://insecure.test", "id": "x", "colour": 1,
                 "auth": {"type": "bearer"},
                 "config": {"timeoutMs": 30001, "rateLimitPerSec": 0, "maxConcurrency": "ten", "streamIdleTimeoutMs": 300001,
                            "retry": {"maxAttempts": -1, "baseDelayMs": -5, "multiplier": 11, "jitterMs": 1e9, "budgetPercent": 101},
                            "circuitBreaker": {"failureThreshold": 0, "failureWindowSec": 3601, "openSec": 0, "halfOpenProbes": 11},
                            "defaultHeaders": {"Authorization": "x", "X-Ok": 5}}}""");
        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "id",
                        "colour",
                        "name",
                        "type",
                        "baseUrl",
                        "auth.credentials",
                        "config.timeoutMs",
                        "config.rateLimitPerSec",
                        "config.maxConcurrency",
                        "config.streamIdleTimeoutMs",
                        "config.retry.maxAttempts",
                        "config.retry.baseDelayMs",
                        "config.retry.multiplier",
                        "config.retry.jitterMs",
                        "config.retry.budgetPercent",
                        "config.circuitBreaker.failureThreshold",
                        "config.circuitBreaker.failureWindowSec",
                        "config.circuitBreaker.openSec",
                        "config.circuitBreaker.halfOpenProbes",
                        "config.defaultHeaders.Authorization",
                        "config.defaultHeaders.X-Ok");
        assertThat(errors)
                .filteredOn(e -> e.field().equals("baseUrl"))
                .first()
                .extracting(FieldError::message)
                .asString()
                .contains("INTEGRATION_ALLOW_INSECURE_HTTP");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown auth type            | {\"type\":\"kerberos\"}                                                       | auth.type",
                "api key without name         | {\"type\":\"api_key\",\"credentials\":{\"apiKey\":\"k\"}}                     | auth.name",
                "api key in a cookie          | {\"type\":\"api_key\",\"in\":\"cookie\",\"name\":\"k\",\"credentials\":{\"apiKey\":\"k\"}} | auth.in",
                "credential of another type   | {\"type\":\"bearer\",\"credentials\":{\"token\":\"t\",\"apiKey\":\"k\"}}     | auth.credentials.apiKey",
                "empty token                  | {\"type\":\"bearer\",\"credentials\":{\"token\":\"\"}}                        | auth.credentials.token",
                "newline in a token           | {\"type\":\"bearer\",\"credentials\":{\"token\":\"a\\nb\"}}                   | auth.credentials.token",
                "basic without password       | {\"type\":\"basic\",\"credentials\":{\"username\":\"u\"}}                     | auth.credentials.password",
                "colon in basic user          | {\"type\":\"basic\",\"credentials\":{\"username\":\"u:x\",\"password\":\"p\"}} | auth.credentials.username",
                "oauth2 without token url     | {\"type\":\"oauth2_client_credentials\",\"credentials\":{\"clientId\":\"i\",\"clientSecret\":\"s\"}} | auth.tokenUrl",
                "token url on bearer          | {\"type\":\"bearer\",\"tokenUrl\":\"https://x.test\",\"credentials\":{\"token\":\"t\"}} | auth.tokenUrl",
                "scope with a space           | {\"type\":\"oauth2_client_credentials\",\"tokenUrl\":\"https://x.test/t\",\"scopes\":[\"a b\"],\"credentials\":{\"clientId\":\"i\",\"clientSecret\":\"s\"}} | auth.scopes[0]",
                "credentials on none          | {\"type\":\"none\",\"credentials\":{\"token\":\"t\"}}                         | auth.credentials.token",
                "auth is a string             | \"bearer\"                                                                     | auth",
            })
    void rejectsBadAuth(String description, String auth, String field) {
        assertThat(errorsOf("{\"name\":\"a\",\"type\":\"sms\",\"baseUrl\":\"https://a.test\",\"auth\":" + auth + "}"))
                .extracting(FieldError::field)
                .contains(field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no scheme      | api.example.test",
                "ftp            | ftp://api.example.test",
                "no host        | https:///path",
                "user info      | https://user:pw@api.example.test",
                "fragment       | https://api.example.test/#x",
                "query          | https://api.example.test/?a=b",
                "not a URL      | https://exa mple.test",
                "IPv6 literal   | https://[2001:db8::1]/v1",
                "short IPv4     | https://127.1",
                "port too high  | https://api.example.test:99999",
                "port zero      | https://api.example.test:0",
                "decimal IPv4   | https://2130706433",
                "hex IPv4       | https://0x7f000001",
                "octal IPv4     | https://0177.0.0.1",
                "hex label      | https://evil.0x7f",
            })
    void rejectsBadBaseUrls(String description, String url) {
        assertThat(errorsOf("{\"name\":\"a\",\"type\":\"sms\",\"baseUrl\":\"" + url + "\"}"))
                .extracting(FieldError::field)
                .containsExactly("baseUrl");
    }

    @Test
    void acceptsCanonicalAddressesAndOrdinaryNames() {
        for (String url : List.of(
                "https://203.0.113.7",
                "https://10.0.0.1:8443/v1",
                "https://api.example.test",
                "https://a1.b2.io",
                "https://xn--bcher-kva.example")) {
            assertThat(validator
                            .validateNew(json("{\"name\":\"a\",\"type\":\"sms\",\"baseUrl\":\"" + url + "\"}"))
                            .baseUrl())
                    .isEqualTo(url);
        }
    }

    @Test
    void acceptsHttpOnlyWhenInsecureHttpIsAllowed() {
        String doc = "{\"name\":\"a\",\"type\":\"sms\",\"baseUrl\":\"http://127.0.0.1:8089\"}";
        assertThat(errorsOf(doc)).extracting(FieldError::field).containsExactly("baseUrl");
        assertThat(new ProviderValidator(true).validateNew(json(doc)).baseUrl()).isEqualTo("http://127.0.0.1:8089");
    }

    @Test
    void keepsStoredCredentialsOnlyWhileTheAuthTypeIsUnchanged() {
        String doc = "{\"name\":\"a\",\"type\":\"sms\",\"baseUrl\":\"https://a.test\",\"auth\":{\"type\":\"bearer\"}}";
        assertThat(validator.validate(json(doc), AuthType.BEARER, true).credentials())
                .isNull();
        ValidationException e = catchThrowableOfType(
                ValidationException.class, () -> validator.validate(json(doc), AuthType.BASIC, true));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("auth.credentials");
    }

    @Test
    void rejectsWhatIsNotAnObject() {
        assertThat(errorsOf("[1,2]")).extracting(FieldError::field).containsExactly("$");
        assertThat(errorsOf("{\"name\":1,\"type\":[],\"baseUrl\":{},\"config\":[],\"status\":true}"))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("name", "type", "baseUrl", "config", "status");
    }

    private List<FieldError> errorsOf(String doc) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validateNew(json(doc)));
        assertThat(e).as("expected a validation error").isNotNull();
        return e.errors();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
