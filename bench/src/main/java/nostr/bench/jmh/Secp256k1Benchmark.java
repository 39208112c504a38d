package nostr.bench.jmh;

import fr.acinq.secp256k1.Secp256k1;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Baseline for {@link EventBenchmark#verify}: libsecp256k1's BIP-340 verification called directly
 * through secp256k1-kmp with pre-decoded bytes, no code of ours in between. The gap between the
 * two is what our event layer costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Secp256k1Benchmark {
    private Secp256k1 secp;
    private byte[] sig;
    private byte[] id;
    private byte[] pubkey;

    @Setup
    public void setUp() {
        secp = Secp256k1.Companion.get();
        Event e = Fixtures.typicalNote().sign(SecretKey.parse(Fixtures.SECRET_KEY));
        sig = Hex.decode(e.sig());
        id = Hex.decode(e.id());
        pubkey = Hex.decode(e.pubkey());
        if (!secp.verifySchnorr(sig, id, pubkey)) {
            throw new IllegalStateException("fixture signature does not verify");
        }
    }

    @Benchmark
    public boolean rawVerifySchnorr() {
        return secp.verifySchnorr(sig, id, pubkey);
    }
}
