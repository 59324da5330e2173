package io.integrationhub.dataplane.edge;

/**
 * Text the caller chose (a path, a header value), made fit for a log line: at most a short prefix,
 * every control or non-ASCII character escaped, so a hostile request can neither forge log lines
 * nor flood them.
 */
public final class CallerText {
    /** Enough of a path to recognise the route; the rest says only how long it was. */
    public static final int PREFIX_CHARS = 80;

    private CallerText() {}

    public static String prefix(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), PREFIX_CHARS) + 16);
        int end = Math.min(text.length(), PREFIX_CHARS);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > end) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
