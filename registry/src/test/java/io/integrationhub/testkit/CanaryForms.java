package io.integrationhub.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The shapes in which a secret can sit in stored or transmitted text: as it is, base64 (standard and
 * URL-safe, at each of the three byte alignments it can have inside a longer encoded value), URL
 * (form) encoded, percent-encoded (any of its bytes), and hex. A finder answers which shape, if
 * any, a text or a byte string shows.
 */
public final class CanaryForms {
    private record Form(String name, String text, boolean ignoreCase) {}

    private final String secret;
    private final List<Form> forms;

    private CanaryForms(String secret, List<Form> forms) {
        this.secret = secret;
        this.forms = List.copyOf(forms);
    }

    /** The forms of {@code secret}. */
    public static CanaryForms of(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<Form> forms = new ArrayList<>();
        forms.add(new Form("plaintext", secret, false));
        for (int offset = 0; offset < 3; offset++) {
            forms.add(new Form(
                    "base64+" + offset, base64Core(Base64.getEncoder().withoutPadding(), bytes, offset), false));
            forms.add(new Form(
                    "base64url+" + offset, base64Core(Base64.getUrlEncoder().withoutPadding(), bytes, offset), false));
        }
        forms.add(new Form("url-encoded", URLEncoder.encode(secret, StandardCharsets.UTF_8), false));
        forms.add(new Form("hex", HexFormat.of().formatHex(bytes), true));
        return new CanaryForms(secret, forms);
    }

    /**
     * The characters of {@code bytes} encoded after {@code offset} other bytes that depend on
     * {@code bytes} alone, so they appear whatever surrounds the secret in the encoded value.
     */
    private static String base64Core(Base64.Encoder encoder, byte[] bytes, int offset) {
        byte[] shifted = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, shifted, offset, bytes.length);
        String encoded = encoder.encodeToString(shifted);
        int first = (offset * 8 + 5) / 6; // the first character whose 6 bits all come from the secret
        int end = (shifted.length * 8) / 6; // after the last such character
        return encoded.substring(first, end);
    }

    /** The name of the first form {@code text} shows, if any. */
    public Optional<String> foundIn(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String lower = null;
        for (Form form : forms) {
            if (form.ignoreCase()) {
                lower = lower == null ? text.toLowerCase(Locale.ROOT) : lower;
                if (lower.contains(form.text().toLowerCase(Locale.ROOT))) {
                    return Optional.of(form.name());
                }
            } else if (text.contains(form.text())) {
                return Optional.of(form.name());
            }
        }
        if (text.indexOf('%') >= 0 && percentDecoded(text).contains(secret)) {
            return Optional.of("percent-encoded");
        }
        return Optional.empty();
    }

    /** {@code text} with every {@code %XX} decoded (as UTF-8) and everything else left as it is, malformed escapes included. */
    private static String percentDecoded(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%'
                    && i + 2 < text.length()
                    && HexFormat.isHexDigit(text.charAt(i + 1))
                    && HexFormat.isHexDigit(text.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The name of the first form raw {@code bytes} show (every form is ASCII, so one char per byte is exact). */
    public Optional<String> foundIn(byte[] bytes) {
        return bytes == null ? Optional.empty() : foundIn(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Every form, as text (for tests of the finder). */
    public List<String> texts() {
        return forms.stream().map(Form::text).toList();
    }
}
