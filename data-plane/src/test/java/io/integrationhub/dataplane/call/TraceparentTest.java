package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** W3C Trace Context on the outbound call: the caller's trace kept when valid, a new span always. */
class TraceparentTest {
    private static final Pattern OUTBOUND = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String SPAN = "b7ad6b7169203331";

    @ParameterizedTest(name = "\"{0}\" -> trace kept={1}, flags {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "00-" + TRACE + "-" + SPAN + "-01            | true  | 01",
                "00-" + TRACE + "-" + SPAN + "-00            | true  | 00",
                "'  00-" + TRACE + "-" + SPAN + "-01  '      | true  | 01",
                // Not version 00, upper case hex, wrong lengths, an all-zero trace id, nothing: a new trace.
                "01-" + TRACE + "-" + SPAN + "-01            | false | 01",
                "00-" + "0AF7651916CD43DD8448EB211C80319C" + "-" + SPAN + "-01 | false | 01",
                "00-" + TRACE + "0-" + SPAN + "-01           | false | 01",
                "00-" + TRACE + "-" + SPAN + "-1             | false | 01",
                "00-00000000000000000000000000000000-" + SPAN + "-01 | false | 01",
                "00-" + TRACE + "-" + SPAN + "-01-extra      | false | 01",
                "garbage                                     | false | 01",
                "''                                          | false | 01",
                "none                                        | false | 01",
            })
    void keepsAValidCallersTraceAndAlwaysMakesANewSpan(String incoming, boolean kept, String flags) {
        String outbound = Traceparent.forOutbound(incoming);
        Matcher m = OUTBOUND.matcher(outbound);
        assertThat(m.matches()).as(outbound).isTrue();
        assertThat(m.group(1).equals(TRACE)).isEqualTo(kept);
        assertThat(m.group(1)).isNotEqualTo("0".repeat(32));
        assertThat(m.group(2)).isNotEqualTo(SPAN).isNotEqualTo("0".repeat(16));
        assertThat(m.group(3)).isEqualTo(flags);
    }

    @Test
    void everyOutboundCallGetsASpanOfItsOwn() {
        String first = Traceparent.forOutbound("00-" + TRACE + "-" + SPAN + "-01");
        String second = Traceparent.forOutbound("00-" + TRACE + "-" + SPAN + "-01");
        assertThat(first).isNotEqualTo(second);
        assertThat(first.substring(0, 36)).isEqualTo(second.substring(0, 36));
    }
}
