package io.integrationhub.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    private static String print(Table table, boolean headers) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out), headers);
        return out.toString();
    }

    @Test
    void columnsAreLeftAlignedThreeSpacesApartWithUpperCaseHeadersAndNoTrailingBlanks() {
        Table table = Table.withHeaders("name", "type", "base url")
                .row("stripe", "payment", "https://api.stripe.com")
                .row("a", null, "")
                .row("multi\nline", "sms", "x");

        assertThat(print(table, true)).isEqualTo("""
                NAME         TYPE      BASE URL
                stripe       payment   https://api.stripe.com
                a            <none>
                multi line   sms       x
                """);
        assertThat(print(table, false)).startsWith("stripe ");
    }

    @Test
    void aRowMustFitTheColumns() {
        assertThatThrownBy(() -> Table.withHeaders("a", "b").row("1")).isInstanceOf(IllegalArgumentException.class);
    }
}
