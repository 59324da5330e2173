package io.integrationhub.crds;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of {@code crds/examples/}, each parsed as kubectl would read it. */
public final class ExampleFiles {
    private ExampleFiles() {}

    /** The examples folder, found from this module's or a sibling module's working directory. */
    public static Path directory() {
        for (Path candidate : List.of(Path.of("examples"), Path.of("../crds/examples"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "crds/examples not found from " + Path.of("").toAbsolutePath());
    }

    public static List<Path> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document YAML file as a typed object (Provider, Secret, ...). */
    public static List<HasMetadata> documents(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = Serialization.unmarshal(in);
            return parsed instanceof List<?> list
                    ? list.stream().map(HasMetadata.class::cast).toList()
                    : List.of((HasMetadata) parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
