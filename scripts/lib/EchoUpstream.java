import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Executors;

/**
 * The demo upstream of README "Try it" (started by {@code scripts/run --demo}): a plain-HTTP server on
 * 127.0.0.1 that answers every request 200 with a JSON description of what it received, so a first
 * call through the hub needs no network. It shows which headers arrived and the scheme of
 * {@code Authorization}, never a header's value: the hub injects a stored credential there.
 *
 * <pre>java scripts/lib/EchoUpstream.java PORT [PID]</pre>
 *
 * PORT 0 takes a free port. With PID it exits when that process does (the hub, which scripts/run
 * execs in its own place). It prints one line, {@code export DEMO_UPSTREAM=http://127.0.0.1:PORT},
 * once it listens; a port it cannot bind stops it with exit 1 and one line naming the port.
 * Run from source by the JDK (no build, JDK 21+), hence one file with no dependencies.
 */
public final class EchoUpstream {
    private EchoUpstream() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            System.err.println("echo upstream: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
                    + " (set HUB_DEMO_PORT to another port, 0 for any free one)");
            System.exit(1);
            return;
        }
        server.createContext("/", EchoUpstream::echo);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        if (args.length > 1) {
            ProcessHandle.of(Long.parseLong(args[1])).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        System.out.println("export DEMO_UPSTREAM=http://127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }

    private static void echo(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            TreeSet<String> headers = new TreeSet<>();
            exchange.getRequestHeaders().keySet().forEach(name -> headers.add(name.toLowerCase(Locale.ROOT)));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String scheme = authorization == null ? null : authorization.split(" ", 2)[0] + " ***";
            String json = "{\"upstream\": \"echo\", \"method\": " + quote(exchange.getRequestMethod())
                    + ", \"path\": " + quote(exchange.getRequestURI().getRawPath())
                    + ", \"query\": " + quote(exchange.getRequestURI().getRawQuery())
                    + ", \"authorization\": " + quote(scheme)
                    + ", \"headers\": [" + String.join(", ", headers.stream().map(EchoUpstream::quote).toList()) + "]"
                    + ", \"body\": " + quote(body.isEmpty() ? null : body) + "}\n";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
