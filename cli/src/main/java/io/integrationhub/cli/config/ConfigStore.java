package io.integrationhub.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.integrationhub.cli.error.HubctlException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the config file of one directory. Where that directory is, is decided once by
 * {@link #locate}: {@code $HUBCTL_CONFIG} (a file), else {@code $XDG_CONFIG_HOME/hubctl}, else
 * {@code ~/.config/hubctl}. Writes go to a temporary file of mode 0600 in the same directory (mode
 * 0700) that then replaces the file, so a token never sits in a file others can read, and a crash
 * never leaves half a file.
 */
public final class ConfigStore {
    public static final String FILE_NAME = "config.yaml";
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** Created on first use only: {@code hubctl --version} and env-only runs never pay for Jackson. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private final Path directory;
    private final Path file;

    /** The store of {@code directory}/{@value #FILE_NAME}. */
    public ConfigStore(Path directory) {
        this(directory, directory.resolve(FILE_NAME));
    }

    private ConfigStore(Path directory, Path file) {
        this.directory = directory.toAbsolutePath();
        this.file = file.toAbsolutePath();
    }

    /** The store the environment points at ({@code HUBCTL_CONFIG}, {@code XDG_CONFIG_HOME}, then {@code home}). */
    public static ConfigStore locate(Map<String, String> env, Path home) {
        String explicit = env.get("HUBCTL_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit).toAbsolutePath();
            return new ConfigStore(path.getParent(), path);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return new ConfigStore(base.resolve("hubctl"));
    }

    /** The directory of the config file; hubctl keeps its other local state ({@code apply} records) beside it. */
    public Path directory() {
        return directory;
    }

    public Path file() {
        return file;
    }

    /** The config, or an empty one when the file does not exist yet. */
    public HubctlConfig load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return HubctlConfig.empty();
        } catch (IOException e) {
            throw HubctlException.usage("cannot read the config file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return HubctlConfig.empty();
        }
        try {
            HubctlConfig config = Yaml.MAPPER.readValue(bytes, HubctlConfig.class);
            return config == null ? HubctlConfig.empty() : config;
        } catch (UnrecognizedPropertyException e) {
            throw HubctlException.usage("the config file " + file + " has an unknown key '" + e.getPropertyName() + "'"
                    + at(e.getLocation())
                    + "; keys are currentContext, contexts.<name>.{endpoint, tenant, tokenFile, tokenEnv, token}");
        } catch (JsonProcessingException e) {
            // The message could quote the file's content (a token); only the place is shown.
            throw HubctlException.usage(
                    "the config file " + file + " is not a valid hubctl config" + at(e.getLocation()));
        } catch (IOException e) {
            throw HubctlException.usage("cannot read the config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the whole config, readable by its owner only. */
    public void save(HubctlConfig config) {
        try {
            createPrivateDirectory(directory);
            Path temp = POSIX
                    ? Files.createTempFile(
                            directory, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                    : Files.createTempFile(directory, ".config-", ".tmp");
            try {
                Files.write(temp, Yaml.MAPPER.writeValueAsBytes(config));
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw HubctlException.usage("cannot write the config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates a directory (and its parents) of mode 0700 if it is missing. */
    public static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_MODE)}
                : new FileAttribute<?>[0];
        try {
            Files.createDirectories(directory, attributes);
        } catch (FileAlreadyExistsException e) {
            // a race with another hubctl: fine
        }
    }

    /** Writes a file readable by its owner only (through a temporary file, then a rename). */
    public static void writePrivateFile(Path target, byte[] content) throws IOException {
        createPrivateDirectory(target.getParent());
        Path temp = POSIX
                ? Files.createTempFile(
                        target.getParent(), ".hubctl-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                : Files.createTempFile(target.getParent(), ".hubctl-", ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
