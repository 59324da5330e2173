package io.integrationhub.controlplane.kube;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code kubectl} binary pointed at a {@link KubectlFront} through a kubeconfig of its own
 * (and a discovery cache of its own, so that runs never see each other's resources).
 */
public final class Kubectl {
    /** What one command did. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;

    private Kubectl(Path binary, Path kubeconfig, Path cacheDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** kubectl from {@code $KUBECTL} or the PATH; a missing one fails the caller (it is part of the test environment). */
    public static Path binary() {
        Optional<Path> found = Optional.ofNullable(System.getenv("KUBECTL"))
                .map(Path::of)
                .filter(Files::isExecutable)
                .or(() -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, "kubectl"))
                        .filter(Files::isExecutable)
                        .findFirst());
        return found.orElseThrow(
                () -> new AssertionError(
                        "kubectl is not installed: scripts/services.sh up installs Debian's kubernetes-client (or set KUBECTL)"));
    }

    /** A kubectl for the API server at {@code server}, its kubeconfig written to {@code directory}. */
    public static Kubectl forServer(URI server, Path directory) {
        Path kubeconfig = directory.resolve("kubeconfig");
        try {
            Files.createDirectories(directory);
            Files.writeString(kubeconfig, kubeconfig(server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Kubectl(binary(), kubeconfig, directory.resolve("cache"));
    }

    /** A kubeconfig with one context, {@code integration-hub-dev}, for an API server without authentication. */
    public static String kubeconfig(URI server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: integration-hub-dev
                  cluster:
                    server: %s
                users:
                - name: developer
                  user: {}
                contexts:
                - name: integration-hub-dev
                  context: {cluster: integration-hub-dev, user: developer, namespace: default}
                current-context: integration-hub-dev
                """.formatted(server);
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs {@code kubectl args...} with {@code stdin} (for {@code -f -}); at most 60 s. */
    public Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>(
                List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
