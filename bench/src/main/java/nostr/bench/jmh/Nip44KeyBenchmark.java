package nostr.bench.jmh;

import java.util.concurrent.TimeUnit;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The NIP-44 conversation key per peer: unhashed ECDH through libsecp256k1 plus HKDF-extract; callers can cache it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Nip44KeyBenchmark {
    private SecretKey me;
    private PublicKey peer;

    @Setup
    public void setUp() {
        me = SecretKey.parse(Fixtures.SECRET_KEY);
        peer = SecretKey.parse(Fixtures.PEER_SECRET_KEY).publicKey();
    }

    @Benchmark
    public byte[] conversationKey() {
        return Nip44.conversationKey(me, peer);
    }
}
