package io.integrationhub.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written byte for byte, for what the JDK and Helidon clients will not send: a header
 * repeated that they merge or drop ({@code Proxy-Authorization}), raw non-ASCII header bytes.
 */
public final class RawHttp {
    private RawHttp() {}

    /**
     * Sends {@code head} (request line and header lines, without the blank line; {@code Connection:
     * close} is added) and returns the whole answer as ISO-8859-1 text, status line first.
     */
    public static String exchange(int port, String head, byte[] headBytes) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(
                            headBytes != null
                                    ? headBytes
                                    : (head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One answer: the head up to the blank line, then Content-Length bytes (the server need not close). */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (!answer.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return answer.toString(StandardCharsets.ISO_8859_1);
            }
            answer.write(b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                .matcher(answer.toString(StandardCharsets.ISO_8859_1));
        if (length.find()) {
            answer.write(in.readNBytes(Integer.parseInt(length.group(1))));
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    public static String exchange(int port, String head) {
        return exchange(port, head, null);
    }

    /** The status code of an answer from {@link #exchange}. */
    public static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }
}
