package io.integrationhub.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code INFO commandstats} of the Redis the hub uses: calls per command, to count round trips. */
public final class RedisStats {
    private static final Pattern LINE = Pattern.compile("cmdstat_([a-z|_]+):calls=(\\d+)");

    private final int port;

    public RedisStats(int port) {
        this.port = port;
    }

    /** Calls per command so far. */
    public Map<String, Long> snapshot() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IOException("unexpected INFO answer " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
            Map<String, Long> calls = new TreeMap<>();
            Matcher m = LINE.matcher(new String(body, StandardCharsets.US_ASCII));
            while (m.find()) {
                calls.put(m.group(1), Long.parseLong(m.group(2)));
            }
            return calls;
        }
    }

    /** Calls per command between two snapshots, without the INFO commands the harness sent itself. */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long diff = v - before.getOrDefault(k, 0L);
            if (diff > 0 && !k.equals("info")) {
                d.put(k, diff);
            }
        });
        return d;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
