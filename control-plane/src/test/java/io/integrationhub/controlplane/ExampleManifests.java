package io.integrationhub.controlplane;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of {@code crds/examples/}, parsed as kubectl reads them (the Provider kind is registered by the crds jar). */
public final class ExampleManifests {
    public static final Path DIRECTORY = Path.of("../crds/examples");

    private ExampleManifests() {}

    public static List<Path> files() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
