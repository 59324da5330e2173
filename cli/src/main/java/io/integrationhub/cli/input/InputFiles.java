package io.integrationhub.cli.input;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.error.HubctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Reads {@code -f} arguments: a file, {@code -} for standard input, or a directory (its YAML/JSON files, sorted). */
public final class InputFiles {
    public static final String STDIN = "-";
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private final Session session;

    public InputFiles(Session session) {
        this.session = session;
    }

    public List<Source> read(List<String> arguments) {
        List<Source> sources = new ArrayList<>();
        boolean stdinUsed = false;
        for (String argument : arguments) {
            if (argument.equals(STDIN)) {
                if (stdinUsed) {
                    throw HubctlException.usage("standard input (-f -) can be read only once");
                }
                stdinUsed = true;
                sources.add(stdin());
                continue;
            }
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    List<Path> documents =
                            files.filter(InputFiles::isDocument).sorted().toList();
                    if (documents.isEmpty()) {
                        throw HubctlException.usage(
                                "the directory " + argument + " holds no .yaml, .yml or .json file");
                    }
                    documents.forEach(file -> sources.add(file(file)));
                } catch (IOException e) {
                    throw HubctlException.usage("cannot list the directory " + argument + ": " + e.getMessage(), e);
                }
            } else {
                sources.add(file(path));
            }
        }
        return sources;
    }

    public Source readOne(String argument) {
        return argument.equals(STDIN) ? stdin() : file(Path.of(argument));
    }

    public Source stdin() {
        try {
            byte[] bytes = session.stdin().readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw HubctlException.usage("standard input is larger than " + MAX_BYTES / 1024 / 1024 + " MiB");
            }
            return new Source("<stdin>", bytes);
        } catch (IOException e) {
            throw HubctlException.usage("cannot read standard input: " + e.getMessage(), e);
        }
    }

    public static Source file(Path path) {
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw HubctlException.usage(path + " is larger than " + MAX_BYTES / 1024 / 1024 + " MiB");
            }
            return new Source(path.toString(), Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw HubctlException.usage("no such file: " + path);
        } catch (IOException e) {
            throw HubctlException.usage("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isDocument(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }
}
