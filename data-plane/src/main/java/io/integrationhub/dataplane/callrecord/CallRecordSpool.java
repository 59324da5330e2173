package io.integrationhub.dataplane.callrecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.Sealed;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.DatabaseFailures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Call outcomes waiting, on local disk, for the registry to be reachable again. One file per
 * outcome, sealed like everything else the hub keeps (AES-GCM, the tenant and the file's id as
 * associated data), written to a temporary name, forced to disk and renamed, so a file either is
 * complete or does not exist. One hub instance owns a directory (a lock file), so two instances
 * never write one outcome twice. A file that cannot be read back (a master key removed, the disk
 * damaged) or that the registry refuses for another reason than being unreachable is moved to
 * {@code rejected/} and counted (and shown by readiness), never deleted.
 */
final class CallRecordSpool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallRecordSpool.class.getName());
    private static final String SUFFIX = ".record";

    private final Path dir;
    private final Sealer sealer;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    private CallRecordSpool(Path dir, Sealer sealer, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.sealer = sealer;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating) the directory, takes its lock and counts what an earlier run left in it. */
    static CallRecordSpool open(Path dir, Sealer sealer) {
        try {
            Files.createDirectories(dir.resolve("rejected"));
            FileChannel channel =
                    FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the spool directory " + dir.toAbsolutePath()
                        + " is in use by another hub instance; give each instance its own INTEGRATION_SPOOL_DIR");
            }
            CallRecordSpool spool = new CallRecordSpool(dir, sealer, channel, lock);
            for (Path file : spool.files("*.tmp")) {
                // An interrupted write: its caller was told it failed, so it holds nothing promised.
                Files.deleteIfExists(file);
            }
            spool.pending.set(spool.files("*" + SUFFIX).size());
            spool.rejected.set(spool.files("rejected", "*" + SUFFIX).size());
            if (spool.pending.get() > 0) {
                LOG.info("call record spool: " + spool.pending.get()
                        + " outcome(s) left by an earlier run wait for the registry");
            }
            return spool;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool directory " + dir.toAbsolutePath(), e);
        }
    }

    /** Keeps {@code outcome} durably; when this returns, it survives a crash of the process or the machine. */
    void keep(CallRecord outcome) {
        String id = Ids.newId();
        try {
            byte[] plaintext = Json.mapper().writeValueAsBytes(outcome);
            Sealed sealed = sealer.seal(plaintext, owner(outcome.tenantId(), id));
            ObjectNode document = Json.mapper()
                    .createObjectNode()
                    .put("type", outcome instanceof CallRecord.Parked ? "parked" : "answered")
                    .put("tenantId", outcome.tenantId())
                    .put("keyId", sealed.keyId())
                    .put("sealed", Base64.getEncoder().encodeToString(sealed.bytes()));
            Path temporary = dir.resolve(id + ".tmp");
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(Json.mapper().writeValueAsBytes(document));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, dir.resolve(id + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true); // the rename itself is durable only once the directory is
            }
            pending.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the spool directory " + dir.toAbsolutePath(), e);
        }
    }

    /**
     * Hands every waiting outcome to {@code writer}, oldest first, deleting each once written, and
     * stops at the first one the writer cannot write because the registry is still unreachable.
     *
     * @return how many were written
     */
    int drain(Consumer<CallRecord> writer) {
        int written = 0;
        for (Path file : files("*" + SUFFIX)) {
            CallRecord outcome;
            try {
                outcome = read(file);
            } catch (IOException | RuntimeException e) {
                reject(file, e);
                continue;
            }
            try {
                writer.accept(outcome);
            } catch (RuntimeException e) {
                if (DatabaseFailures.isUnreachable(e)) {
                    return written; // still down: the rest waits, in order
                }
                reject(file, e); // a bug, not an outage: set aside so it cannot hold up the outcomes behind it
                continue;
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Written but still on disk: the next drain writes it again, which the registry treats as a no-op.
                throw new UncheckedIOException("cannot delete the written spool file " + file.getFileName(), e);
            }
            pending.decrementAndGet();
            written++;
        }
        return written;
    }

    /** Outcomes waiting for the registry. */
    int pending() {
        return pending.get();
    }

    /** Outcomes that could not be read back and wait in {@code rejected/} for an operator. */
    int rejected() {
        return rejected.get();
    }

    private CallRecord read(Path file) throws IOException {
        JsonNode document = Json.mapper().readTree(Files.readAllBytes(file));
        String id = file.getFileName().toString().replace(SUFFIX, "");
        Sealed sealed = new Sealed(
                document.path("keyId").asText(),
                Base64.getDecoder().decode(document.path("sealed").asText()));
        byte[] plaintext = sealer.open(sealed, owner(document.path("tenantId").asText(), id));
        Class<? extends CallRecord> type = switch (document.path("type").asText()) {
            case "parked" -> CallRecord.Parked.class;
            case "answered" -> CallRecord.Answered.class;
            default -> throw new IOException("unknown outcome type");
        };
        return Json.mapper().readValue(plaintext, type);
    }

    private void reject(Path file, Exception why) {
        // Only the failure's class: its message could quote what the file holds.
        LOG.severe("call record spool: " + file.getFileName() + " cannot be read back or written ("
                + why.getClass().getSimpleName() + "); moved to "
                + dir.resolve("rejected").toAbsolutePath() + " for an operator");
        try {
            Files.move(file, dir.resolve("rejected").resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            pending.decrementAndGet();
            rejected.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the unreadable spool file " + file.getFileName(), e);
        }
    }

    private List<Path> files(String glob) {
        return files(null, glob);
    }

    private List<Path> files(String subdirectory, String glob) {
        Path where = subdirectory == null ? dir : dir.resolve(subdirectory);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(where, glob)) {
            stream.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the spool directory " + where.toAbsolutePath(), e);
        }
        found.sort(null); // ids are ULIDs: name order is time order
        return found;
    }

    private static Sealer.Owner owner(String tenantId, String id) {
        return new Sealer.Owner(tenantId, "spool/" + id);
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warning("call record spool: releasing the lock: " + e.getClass().getSimpleName());
        }
    }
}
