package io.integrationhub.dataplane.body;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A temporary file of body bytes that never holds plaintext: written in chunks of {@link #CHUNK}
 * bytes, each sealed with AES-256-GCM (the STREAM construction: a per-file random nonce prefix plus
 * the chunk's index, and a "last chunk" flag as associated data), so chunks cannot be reordered,
 * dropped or truncated unnoticed, and reading one needs only that chunk in memory. The key is made
 * when the process starts and never leaves it: a file left behind by a crash is unreadable noise.
 * Deleted by {@link #close()}.
 */
public final class SealedSpillFile implements AutoCloseable {
    static final int CHUNK = 64 * 1024;
    private static final int TAG_BYTES = 16;
    private static final int SEALED_CHUNK = CHUNK + TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The per-process key and the directory spill files go to. */
    public static final class Spills {
        private final SecretKey key;
        private final Path directory;

        public Spills(Path directory) {
            try {
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256, RANDOM);
                this.key = generator.generateKey();
                Files.createDirectories(directory);
                this.directory = directory;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256 is not available", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the spill directory " + directory, e);
            }
        }

        public Path directory() {
            return directory;
        }

        /** A new, empty spill file. */
        public SealedSpillFile create() throws IOException {
            Path file = Files.createTempFile(directory, "body-", ".sealed");
            return new SealedSpillFile(key, file);
        }
    }

    private final SecretKey key;
    private final Path file;
    private final FileChannel channel;
    private final byte[] noncePrefix = new byte[8];
    private final byte[] pending = new byte[CHUNK];
    private int pendingSize;
    private int chunks;
    private long size;
    private boolean finished;

    private SealedSpillFile(SecretKey key, Path file) throws IOException {
        this.key = key;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        RANDOM.nextBytes(noncePrefix);
    }

    public Path path() {
        return file;
    }

    /** Plaintext bytes written so far. */
    public long size() {
        return size;
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
            throw new IllegalStateException("the spill file is finished");
        }
        while (length > 0) {
            int n = Math.min(length, CHUNK - pendingSize);
            System.arraycopy(bytes, offset, pending, pendingSize, n);
            pendingSize += n;
            offset += n;
            length -= n;
            size += n;
            if (pendingSize == CHUNK) {
                // A full chunk is sealed as "not last": the last one is sealed by finish(), even when empty.
                seal(false);
            }
        }
    }

    /** Seals the last chunk; nothing can be written after it. */
    public void finish() throws IOException {
        if (!finished) {
            seal(true);
            finished = true;
        }
    }

    /** The plaintext from {@code offset} on, decrypted a chunk at a time. */
    public InputStream open(long offset) {
        if (!finished) {
            throw new IllegalStateException("finish the spill file before reading it");
        }
        return new ChunkReader(offset);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // deleting is what matters
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spill file " + file, e);
        }
    }

    private void seal(boolean last) throws IOException {
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, chunks, last);
            byte[] sealed = cipher.doFinal(pending, 0, pendingSize);
            ByteBuffer buffer = ByteBuffer.wrap(sealed);
            long position = (long) chunks * SEALED_CHUNK;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            chunks++;
            pendingSize = 0;
        } catch (GeneralSecurityException e) {
            throw new IOException("sealing a spill chunk failed", e);
        }
    }

    private Cipher cipher(int mode, int index, boolean last) throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        System.arraycopy(noncePrefix, 0, nonce, 0, 8);
        ByteBuffer.wrap(nonce, 8, 4).putInt(index);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(new byte[] {(byte) (last ? 1 : 0)});
        return cipher;
    }

    /** Opens chunk by chunk; any tampering or truncation fails the read instead of yielding wrong bytes. */
    private final class ChunkReader extends InputStream {
        private int index;
        private byte[] plain = new byte[0];
        private int at;

        ChunkReader(long offset) {
            this.index = (int) (offset / CHUNK);
            if (offset > size) {
                throw new IllegalArgumentException("offset beyond the end");
            }
            if (index < chunks) {
                load();
                at = (int) (offset % CHUNK);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (at == plain.length) {
                if (index >= chunks) {
                    return -1;
                }
                load();
            }
            int n = Math.min(length, plain.length - at);
            System.arraycopy(plain, at, target, offset, n);
            at += n;
            return n;
        }

        private void load() {
            try {
                boolean last = index == chunks - 1;
                long position = (long) index * SEALED_CHUNK;
                long sealedLength = Math.min(SEALED_CHUNK, channel.size() - position);
                if (sealedLength < TAG_BYTES) {
                    throw new EOFException("spill file truncated");
                }
                ByteBuffer sealed = ByteBuffer.allocate((int) sealedLength);
                while (sealed.hasRemaining()) {
                    if (channel.read(sealed, position + sealed.position()) < 0) {
                        throw new EOFException("spill file truncated");
                    }
                }
                plain = cipher(Cipher.DECRYPT_MODE, index, last).doFinal(sealed.array());
                at = 0;
                index++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new UncheckedIOException(new IOException("a spill chunk failed authentication", e));
            }
        }
    }
}
