package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.TestBodies;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.validation.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope read as a stream: the body forwarded as the caller's own bytes, limits on everything else. */
class EnvelopeParserTest {
    @TempDir
    Path dir;

    private static final Instant AUTHENTICATED = Instant.parse("2026-12-06T12:00:00Z");

    private Bodies.Scope scope;

    @BeforeEach
    void open() {
        scope = TestBodies.scope(TestBodies.in(dir, 64 << 20, 4096, 32 << 20));
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private CallRequest parse(String envelope) {
        return EnvelopeParser.parse(
                new ByteArrayInputStream(envelope.getBytes(StandardCharsets.UTF_8)),
                scope,
                null,
                CallDeadline.from(AUTHENTICATED));
    }

    private static String body(CallRequest request) {
        try (InputStream in = request.body().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Numbers a JSON tree would change (double rounding, underflow, overflow), and other spellings to keep. */
    static Stream<String> hostileValues() {
        return Stream.of(
                "12345678901234567890.123456789",
                "1.00000000000000001",
                "4.9e-325",
                "1e999999",
                "-0",
                "-0.0",
                "1E+2",
                "0.1e-0001",
                "123456789012345678901234567890",
                "{\"amount\": 1.10, \"amount_minor\": 110}",
                "{\"b\":1,\"a\":2,\"c\":{\"z\":[3,2,1],\"y\":null}}",
                "\"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\" \\/slash\"",
                "\"café 😀\"",
                "[1.0, 2.50, 3e0, true, false, null]",
                "{  \"spaced\" :\t[ 1 ,\n 2 ]  }");
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void theBodyReachesTheProviderByteForByte(String value) {
        for (String envelope : List.of(
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":" + value + "}",
                "{\"body\": " + value + " ,\n \"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\"}",
                "{\"provider\":\"p\",\"body\":\n" + value + "\n\t,\"method\":\"POST\",\"path\":\"/x\"}  ")) {
            CallRequest request = parse(envelope);
            assertThat(body(request)).as(envelope).isEqualTo(value);
            assertThat(request.contentType()).isEqualTo("application/json");
        }
    }

    @Test
    void aBodyLargerThanTheMemoryHeadIsStillExactWhenItSpillsToDisk() {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            big.append(i == 0 ? "" : ",").append("12345678901234567890.123456789");
        }
        big.append(']');
        CallRequest request = parse("{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":" + big + "}");
        assertThat(body(request)).isEqualTo(big.toString());
    }

    @Test
    void bodyBase64IsDecodedAsItStreams() {
        CallRequest request = parse(
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"bodyBase64\":\"YW1vdW50PTEwMCZjdXJyZW5jeT1ldXI=\","
                        + "\"contentType\":\"application/x-www-form-urlencoded\"}");
        assertThat(body(request)).isEqualTo("amount=100&currency=eur");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void aNullBodyIsNoBody() {
        CallRequest request = parse("{\"provider\":\"p\",\"method\":\"GET\",\"path\":\"/x\",\"body\":null}");
        assertThat(request.body().size()).isZero();
        assertThat(request.contentType()).isNull();
    }

    @Test
    void queryNumbersAreSentAsWritten() {
        CallRequest request = parse(
                "{\"provider\":\"p\",\"method\":\"GET\",\"path\":\"/x\",\"query\":{\"amount\":12345678901234567890.10,"
                        + "\"n\":[1,2]}}");
        assertThat(request.rawQuery()).isEqualTo("amount=12345678901234567890.10&n=1&n=2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":{\"a\":1}",
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":{\"a\":01}}",
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":[1,]}",
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":NaN}",
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\"} {}",
                "[\"provider\"]",
                "{\"provider\":\"p\",\"provider\":\"q\",\"method\":\"POST\",\"path\":\"/x\"}",
                "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":1,\"body\":2}",
            })
    void malformedEnvelopesAre400(String envelope) {
        assertThatThrownBy(() -> parse(envelope))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
    }

    /** One bad field added to a good envelope: the error names that field, and says what it must be. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"providerId\":\"i\"                    | provider       | give either 'providerId' or 'provider', not both",
                "\"idempotencyKey\":\"a b\"              | idempotencyKey | must be 1-255 visible ASCII characters",
                "\"idempotencyKey\":\"caf\u00e9\"       | idempotencyKey | must be 1-255 visible ASCII characters",
                "\"timeoutMs\":0                           | timeoutMs      | *",
                "\"timeoutMs\":300001                      | timeoutMs      | *",
                "\"timeoutMs\":\"5\"                     | timeoutMs      | *",
                "\"body\":{},\"bodyBase64\":\"AA==\"   | body           | give either 'body' (JSON) or 'bodyBase64', not both",
                "\"bodyBase64\":5                          | bodyBase64     | must be a string",
                "\"bodyBase64\":\"AA==\"                 | contentType    | is required with bodyBase64",
                "\"body\":1,\"contentType\":\"a/b\\u0001\" | contentType | must not contain control characters",
                "\"query\":{\"a\":{}}                    | query.a        | must be a string, number, boolean or a list of those",
                "\"query\":{\"a\":[1,null]}              | query.a        | must be a string, number, boolean or a list of those",
                "\"query\":[1]                             | query          | *",
                "\"headers\":{\"X-A\":5}                 | headers.X-A    | must be a string or a list of strings",
                "\"headers\":{\"X-A\":[\"a\",1]}       | headers.X-A    | must be a string or a list of strings",
                "\"headers\":\"X-A: 1\"                  | headers        | *",
                "\"extra\":1                               | extra          | *",
            })
    void aBadFieldIsNamedWithWhatItMustBe(String field, String name, String message) {
        String envelope = "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\"," + field + "}";
        assertThatThrownBy(() -> parse(envelope)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.errors()).extracting(error -> error.field()).containsExactly(name);
            if (!message.equals("*")) {
                assertThat(e.errors().getFirst().message()).isEqualTo(message);
            }
        });
    }

    @Test
    void fieldErrorsAreNamedTogether() {
        assertThatThrownBy(() -> parse("{\"method\":7,\"path\":\"/x\",\"extra\":1,\"bodyBase64\":\"AA==\"}"))
                .isInstanceOfSatisfying(
                        ValidationException.class,
                        e -> assertThat(e.errors())
                                .extracting(error -> error.field())
                                .contains("provider", "method", "extra", "contentType"));
        assertThatThrownBy(() -> parse("{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"bodyBase64\":\"!!!\","
                        + "\"contentType\":\"a/b\"}"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("bodyBase64");
    }

    /** timeoutMs is the whole call's deadline, counted from authentication: up to five minutes. */
    @Test
    void timeoutMsSetsTheCallsDeadlineUpToFiveMinutes() {
        String envelope = "{\"provider\":\"p\",\"method\":\"GET\",\"path\":\"/x\"";
        assertThat(parse(envelope + "}").deadline().bounded()).isFalse();
        assertThat(parse(envelope + ",\"timeoutMs\":1}").deadline().at()).isEqualTo(AUTHENTICATED.plusMillis(1));
        assertThat(parse(envelope + ",\"timeoutMs\":300000}").deadline().at())
                .isEqualTo(AUTHENTICATED.plusMillis(300_000));
        // The header's deadline (already in the one passed in) wins when it ends first, and the other way round.
        CallDeadline header = CallDeadline.from(AUTHENTICATED).within(500, CallDeadline.HEADER);
        assertThat(EnvelopeParser.parse(
                                new ByteArrayInputStream((envelope + ",\"timeoutMs\":2000}").getBytes()),
                                scope,
                                null,
                                header)
                        .deadline()
                        .at())
                .isEqualTo(AUTHENTICATED.plusMillis(500));
        assertThat(EnvelopeParser.parse(
                                new ByteArrayInputStream((envelope + ",\"timeoutMs\":200}").getBytes()),
                                scope,
                                null,
                                header)
                        .deadline()
                        .at())
                .isEqualTo(AUTHENTICATED.plusMillis(200));
    }

    @Test
    void deepNestingIsRefusedByTheParser() {
        String deep = "[".repeat(EnvelopeParser.MAX_DEPTH + 1) + "]".repeat(EnvelopeParser.MAX_DEPTH + 1);
        assertThatThrownBy(
                        () -> parse("{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":" + deep + "}"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_REQUEST))
                .hasMessageContaining("nesting depth");
    }

    @Test
    void millionsOfEmptyObjectsAreRefusedWithoutBuildingATree() {
        // 3.5 million '{}' in a 10 MiB envelope: once an OutOfMemoryError, now a parser limit, streamed through.
        int count = 3_500_000;
        InputStream envelope = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(
                        "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":[{}".getBytes()),
                new ByteArrayInputStream(",{}".repeat(count - 1).getBytes()),
                new ByteArrayInputStream("]}".getBytes()))));
        assertThatThrownBy(() -> EnvelopeParser.parse(envelope, scope, null, CallDeadline.from(AUTHENTICATED)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_REQUEST))
                .hasMessageContaining("tokens");
    }

    @Test
    void manyTokensOutsideTheBodyAreRefusedBeforeATreeGrows() {
        String headers =
                "{\"headers\":{" + "\"x\":[" + "\"a\",".repeat(EnvelopeParser.MAX_SMALL_FIELD_TOKENS) + "\"a\"]}}";
        assertThatThrownBy(() -> parse(headers))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("other than the body");
    }

    @Test
    void anEnvelopeOverTheBodyLimitIs413WhileItStreams() {
        Bodies.Scope small = TestBodies.scope(TestBodies.in(dir, 64 << 20, 4096, 1000));
        try (small) {
            String envelope =
                    "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":\"" + "a".repeat(2000) + "\"}";
            assertThatThrownBy(() -> EnvelopeParser.parse(
                            new ByteArrayInputStream(envelope.getBytes()),
                            small,
                            null,
                            CallDeadline.from(AUTHENTICATED)))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE));
        }
    }
}
