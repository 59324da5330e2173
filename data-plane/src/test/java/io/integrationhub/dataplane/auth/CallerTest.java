package io.integrationhub.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who a call is for, in fair shares: the token's module claim, else its subject, else "unknown". */
class CallerTest {
    @ParameterizedTest(name = "sub={0} module={1} -> {2}")
    @CsvSource(
            nullValues = "null",
            value = {
                "svc-1,  payments, payments",
                "svc-1,  null,     svc-1",
                "svc-1,  '  ',     svc-1",
                "null,   null,     unknown",
                "'',     null,     unknown",
            })
    void theModuleIsTheClaimElseTheSubjectElseUnknown(String subject, String module, String expected) {
        assertThat(new Caller(subject, "t", Set.of(), module).module()).isEqualTo(expected);
    }
}
