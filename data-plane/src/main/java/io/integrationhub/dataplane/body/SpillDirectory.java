package io.integrationhub.dataplane.body;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One instance's directory for spill files, inside {@code INTEGRATION_SPILL_DIR}, with the key
 * that seals them. Removed, with anything left in it, when the instance stops. Spill files are
 * temporary and have nothing to do with the registry-outage spool.
 */
public final class SpillDirectory implements AutoCloseable {
    private final Path directory;
    private final SealedSpillFile.Spills spills;

    private SpillDirectory(Path directory) {
        this.directory = directory;
        this.spills = new SealedSpillFile.Spills(directory);
    }

    public static SpillDirectory create(Path base) {
        return new SpillDirectory(
                base.resolve("instance-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID()));
    }

    public SealedSpillFile.Spills spills() {
        return spills;
    }

    public Path path() {
        return directory;
    }

    @Override
    public void close() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove spill directory " + directory, e);
        }
    }
}
