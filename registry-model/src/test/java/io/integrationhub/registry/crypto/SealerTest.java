package io.integrationhub.registry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.registry.crypto.Sealer.Owner;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SealerTest {
    private static final String K1 = MasterKeys.generateSpec("k1");
    private static final String K2 = MasterKeys.generateSpec("k2");
    private static final Owner OWNER = new Owner("tenant-a", "01j9provider0000000000000a");
    private static final byte[] SECRET = "{\"apiKey\":\"sk_live_123\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void opensWhatItSealedAndNeverShowsThePlaintext() {
        Sealer sealer = new Sealer(MasterKeys.parse(K1, null));
        Sealed sealed = sealer.seal(SECRET, OWNER);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(new String(sealed.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("sk_live_123");
        assertThat(sealer.open(sealed, OWNER)).isEqualTo(SECRET);
    }

    @Test
    void usesAFreshNonceForEverySeal() {
        Sealer sealer = new Sealer(MasterKeys.parse(K1, null));
        assertThat(sealer.seal(SECRET, OWNER)).isNotEqualTo(sealer.seal(SECRET, OWNER));
    }

    @Test
    void refusesToOpenForAnotherOwner() {
        Sealer sealer = new Sealer(MasterKeys.parse(K1, null));
        Sealed sealed = sealer.seal(SECRET, OWNER);

        assertThatThrownBy(() -> sealer.open(sealed, new Owner("tenant-b", OWNER.recordId())))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("tenant tenant-b")
                .hasMessageNotContaining("sk_live");
        assertThatThrownBy(() -> sealer.open(sealed, new Owner(OWNER.tenantId(), "01j9provider0000000000000b")))
                .isInstanceOf(SealingException.class);
    }

    @Test
    void detectsTamperingWithAnyByte() {
        Sealer sealer = new Sealer(MasterKeys.parse(K1, null));
        Sealed sealed = sealer.seal(SECRET, OWNER);
        for (int i = 0; i < sealed.bytes().length; i++) {
            byte[] bytes = sealed.bytes().clone();
            bytes[i] ^= 0x01;
            Sealed tampered = new Sealed(sealed.keyId(), bytes);
            assertThatThrownBy(() -> sealer.open(tampered, OWNER)).isInstanceOf(SealingException.class);
        }
        assertThatThrownBy(() -> sealer.open(new Sealed("k1", new byte[5]), OWNER))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void valuesSealedUnderAnOldKeyStillOpenAfterRotationAndResealUnderTheNewOne() {
        Sealed old = new Sealer(MasterKeys.parse(K1, null)).seal(SECRET, OWNER);
        Sealer rotated = new Sealer(MasterKeys.parse(K1 + "," + K2, "k2"));

        assertThat(rotated.isCurrent(old)).isFalse();
        assertThat(rotated.open(old, OWNER)).isEqualTo(SECRET);
        Sealed resealed = rotated.reseal(old, OWNER);
        assertThat(resealed.keyId()).isEqualTo("k2");
        assertThat(rotated.isCurrent(resealed)).isTrue();
        assertThat(new Sealer(MasterKeys.parse(K2, null)).open(resealed, OWNER)).isEqualTo(SECRET);
    }

    @Test
    void refusesAValueSealedUnderAnUnknownKey() {
        Sealed sealed = new Sealer(MasterKeys.parse(K1, null)).seal(SECRET, OWNER);
        assertThatThrownBy(() -> new Sealer(MasterKeys.parse(K2, null)).open(sealed, OWNER))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("unknown master key id 'k1'");
    }

    @Test
    void masterKeySpecsAreCheckedWithoutEchoingKeyMaterial() {
        assertThatThrownBy(() -> MasterKeys.parse("", null)).hasMessageContaining("no master key");
        assertThatThrownBy(() -> MasterKeys.parse("k1", null)).hasMessageContaining("kid:base64key");
        assertThatThrownBy(() -> MasterKeys.parse("k1:not*base64", null))
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> MasterKeys.parse("k1:AAAA", null)).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> MasterKeys.parse(K1 + "," + K2, null)).hasMessageContaining("name the sealing one");
        assertThatThrownBy(() -> MasterKeys.parse(K1, "k9")).hasMessageContaining("'k9' is not among");
        assertThatThrownBy(() -> MasterKeys.parse(K1 + "," + K1, "k1")).hasMessageContaining("given twice");
    }

    /** Ciphers are reused: many threads sealing and opening at once, with failures between, each get their own. */
    @Test
    void reusedCiphersSealAndOpenCorrectlyFromManyThreadsAndAfterAFailure() throws Exception {
        Sealer sealer = new Sealer(MasterKeys.parse(K1, null));
        Sealed good = sealer.seal(SECRET, OWNER);
        byte[] bad = good.bytes().clone();
        bad[bad.length - 1] ^= 0x01;
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        Owner owner = new Owner("tenant-" + thread, "record-" + i);
                        byte[] plaintext = ("secret " + thread + "/" + i).getBytes(StandardCharsets.UTF_8);
                        Sealed sealed = sealer.seal(plaintext, owner);
                        assertThat(sealer.open(sealed, owner)).isEqualTo(plaintext);
                        if (i % 10 == 0) {
                            assertThatThrownBy(() -> sealer.open(new Sealed("k1", bad), OWNER))
                                    .isInstanceOf(SealingException.class);
                        }
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
        assertThat(sealer.open(good, OWNER)).isEqualTo(SECRET);
    }
}
