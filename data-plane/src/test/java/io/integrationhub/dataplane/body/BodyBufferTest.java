package io.integrationhub.dataplane.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyBufferTest {
    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSmallBodyStaysInMemoryAndNothingIsWrittenToDisk() throws Exception {
        Bodies bodies = TestBodies.in(dir, 1 << 20, 64 * 1024, 10 << 20);
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            BodyBuffer buffer = scope.newBuffer();
            byte[] data = random(10_000, 1);
            buffer.receive(new ByteArrayInputStream(data), 10 << 20);
            buffer.finish();
            assertThat(buffer.spilledBytes()).isZero();
            assertThat(read(buffer.open())).isEqualTo(data);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void aLargeBodySpillsSealedAndReadsBackExactlyAnyNumberOfTimesAndFromAnyOffset() throws Exception {
        Bodies bodies = TestBodies.in(dir, 1 << 20, 100_000, 10 << 20);
        byte[] data = new byte[3_000_000];
        // A recognisable plaintext pattern: if it were on disk, the search below would find it.
        Arrays.fill(data, (byte) 'A');
        System.arraycopy("SECRET-CARD-4242".getBytes(), 0, data, 2_000_000, 16);
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            BodyBuffer buffer = scope.newBuffer();
            buffer.receive(new ByteArrayInputStream(data), 10 << 20);
            buffer.finish();
            assertThat(buffer.spilledBytes()).isEqualTo(3_000_000 - 100_000);
            assertThat(read(buffer.open())).isEqualTo(data);
            assertThat(read(buffer.open())).isEqualTo(data);
            assertThat(read(buffer.open(99_990, 20))).isEqualTo(Arrays.copyOfRange(data, 99_990, 100_010));
            assertThat(read(buffer.open(2_000_000, 16))).asString().isEqualTo("SECRET-CARD-4242");
            assertThat(read(buffer.slice(1_999_990, 40).open()))
                    .isEqualTo(Arrays.copyOfRange(data, 1_999_990, 2_000_030));

            Path file;
            try (Stream<Path> files = Files.list(dir)) {
                file = files.findFirst().orElseThrow();
            }
            byte[] onDisk = Files.readAllBytes(file);
            assertThat(onDisk.length).isGreaterThan(2_900_000);
            assertThat(indexOf(onDisk, "SECRET-CARD".getBytes())).isEqualTo(-1);
            assertThat(indexOf(onDisk, "AAAAAAAAAAAAAAAA".getBytes()))
                    .as("no plaintext run on disk")
                    .isEqualTo(-1);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("spill files are deleted when the call ends").isEmpty();
        }
    }

    @Test
    void aTamperedOrTruncatedSpillFileFailsToReadInsteadOfGivingOtherBytes() throws Exception {
        Bodies bodies = TestBodies.in(dir, 1 << 20, 0, 10 << 20);
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            BodyBuffer buffer = scope.newBuffer();
            buffer.receive(new ByteArrayInputStream(random(200_000, 2)), 10 << 20);
            buffer.finish();
            Path file;
            try (Stream<Path> files = Files.list(dir)) {
                file = files.findFirst().orElseThrow();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {1}), 70_000);
            }
            assertThatThrownBy(() -> read(buffer.open()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseInstanceOf(javax.crypto.AEADBadTagException.class);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(65_536 + 16);
            }
            assertThat(read(buffer.open(0, 100)))
                    .as("the first chunk is intact")
                    .hasSize(100);
            assertThatThrownBy(() -> read(buffer.open()))
                    .as("reading on finds the file truncated")
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWhileItArrives() {
        Bodies bodies = TestBodies.in(dir, 1 << 20, 1000, 5000);
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            BodyBuffer buffer = scope.newBuffer();
            assertThatThrownBy(() -> buffer.receive(new ByteArrayInputStream(new byte[5001]), 5000))
                    .isInstanceOf(BodyBuffer.TooLargeException.class);
        }
    }

    @Test
    void theMemoryBudgetBoundsWhatIsHeldAndSpillsEarlyWhenShort() throws Exception {
        MemoryBudget budget = new MemoryBudget(Bodies.CALL_BASE_BYTES + 20_000);
        Bodies bodies = new Bodies(budget, new SealedSpillFile.Spills(dir), 1 << 20, 10 << 20);
        try (Bodies.Scope scope = TestBodies.scope(bodies)) {
            BodyBuffer buffer = scope.newBuffer();
            byte[] data = random(500_000, 3);
            buffer.receive(new ByteArrayInputStream(data), 10 << 20);
            buffer.finish();
            assertThat(budget.used()).isLessThanOrEqualTo(budget.capacity());
            assertThat(buffer.spilledBytes())
                    .as("the budget ran short: the rest went to disk")
                    .isGreaterThan(480_000);
            assertThat(read(buffer.open())).isEqualTo(data);
            assertThat(bodies.open())
                    .as("no room for another call's base share")
                    .isNull();
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void newWorkWaitsBrieflyForTheBudgetAndGetsItWhenAnotherCallEnds() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        MemoryBudget.Reservation first = budget.reserve(800, Duration.ZERO);
        // Given back by another thread, before or while the second call waits: either way it gets the memory.
        Thread.ofVirtual().start(first::close);
        MemoryBudget.Reservation second = budget.reserve(800, Duration.ofSeconds(5));
        assertThat(second).isNotNull();
        second.close();
        assertThat(budget.reserve(2000, Duration.ofSeconds(5)))
                .as("more than the whole budget: refused at once")
                .isNull();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
