package nostr.bench.jmh;

import java.util.concurrent.TimeUnit;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * NIP-44 v2 per message, for a chat-sized and a larger plaintext: encrypt (random nonce, HKDF
 * expand, padding, ChaCha20, HMAC, base64) and decrypt (the reverse with the constant-time MAC
 * check). The per-peer conversation key is {@link Nip44KeyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Nip44Benchmark {
    @Param({"100", "10000"})
    public int plaintextBytes;

    private SecretKey me;
    private SecretKey peer;
    private byte[] conversationKey;
    private String plaintext;
    private String payload;

    @Setup
    public void setUp() {
        me = SecretKey.parse(Fixtures.SECRET_KEY);
        peer = SecretKey.parse(Fixtures.PEER_SECRET_KEY);
        conversationKey = Nip44.conversationKey(me, peer.publicKey());
        plaintext = "n".repeat(plaintextBytes);
        payload = Nip44.encrypt(plaintext, conversationKey);
        if (!Nip44.decrypt(payload, conversationKey).equals(plaintext)) {
            throw new IllegalStateException("fixture does not round-trip");
        }
    }

    @Benchmark
    public String encrypt() {
        return Nip44.encrypt(plaintext, conversationKey);
    }

    @Benchmark
    public String decrypt() {
        return Nip44.decrypt(payload, conversationKey);
    }
}
