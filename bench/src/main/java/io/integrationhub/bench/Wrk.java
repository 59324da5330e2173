package io.integrationhub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Closed-loop throughput at a fixed concurrency with wrk (Debian's package), its output parsed. */
public final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(m?s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path workDir;
    private final int threads;
    private final int connections;

    public Wrk(Path workDir, int threads, int connections) {
        this.workDir = workDir;
        this.threads = threads;
        this.connections = connections;
    }

    /** Requests per second, the total, and how many answers were not 2xx/3xx or failed. */
    public record Result(String target, double rps, long requests, long errors, String raw) {}

    public Result run(HttpTarget target, Duration duration) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "wrk", "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s", "--timeout", "5s"));
        if (target.method().equals("POST")) {
            Path script = workDir.resolve("wrk-" + target.name().replaceAll("[^a-z0-9]", "_") + ".lua");
            StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
            lua.append("wrk.body = ")
                    .append(luaString(new String(target.body(), StandardCharsets.UTF_8)))
                    .append('\n');
            target.headers()
                    .forEach((k, v) -> lua.append("wrk.headers[")
                            .append(luaString(k))
                            .append("] = ")
                            .append(luaString(v))
                            .append('\n'));
            if (target.freshKeys()) {
                // A key never used before per request: this run's random prefix and a counter (wrk -t1: one Lua state).
                String[] around = new String(target.body(), StandardCharsets.UTF_8)
                        .split(java.util.regex.Pattern.quote(HttpTarget.FRESH_KEY), 2);
                lua.append("local before, after = ")
                        .append(luaString(around[0]))
                        .append(", ")
                        .append(luaString(around[1]))
                        .append('\n')
                        .append("local prefix = ")
                        .append(luaString(java.util.UUID.randomUUID() + "-"))
                        .append('\n')
                        .append("local counter = 0\n")
                        .append("request = function()\n  counter = counter + 1\n")
                        .append("  return wrk.format(nil, nil, nil, before .. prefix .. counter .. after)\nend\n");
            }
            Files.writeString(script, lua);
            cmd.add("-s");
            cmd.add(script.toString());
        } else {
            target.headers().forEach((k, v) -> {
                cmd.add("-H");
                cmd.add(k + ": " + v);
            });
        }
        cmd.add(target.url());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        Matcher rps = RPS.matcher(text);
        Matcher total = TOTAL.matcher(text);
        if (!rps.find() || !total.find()) {
            throw new IOException("wrk output not understood:\n" + text);
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET.matcher(text);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Result(
                target.name(), Double.parseDouble(rps.group(1)), Long.parseLong(total.group(1)), errors, text);
    }

    private static String luaString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
