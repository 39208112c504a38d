package nostr.bench.jmh;

import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a relay's ingest path and a client's publish path cost per event, on a typical kind 1 reply
 * (559 bytes of JSON) with an {@code e} and a {@code p} tag: BIP-340 verification through our API
 * ({@link Event#hasValidSignature}), signing ({@link EventTemplate#sign}), and strict parsing plus
 * the NIP-01 id check ({@link Event#parse} + {@link Event#hasValidId}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventBenchmark {
    private SecretKey key;
    private EventTemplate template;
    private Event event;
    private String json;

    @Setup
    public void setUp() throws InvalidEventException {
        key = SecretKey.parse(Fixtures.SECRET_KEY);
        template = Fixtures.typicalNote();
        event = template.sign(key);
        json = event.json();
        if (!Event.parse(json).isValid()) {
            throw new IllegalStateException("fixture event does not verify");
        }
    }

    /** BIP-340 verify through Event: hex checks and decoding, then libsecp256k1. */
    @Benchmark
    public boolean verify() {
        return event.hasValidSignature();
    }

    /** Canonical serialization, SHA-256, BIP-340 sign with fresh aux randomness, JSON writing. */
    @Benchmark
    public Event sign() {
        return template.sign(key);
    }

    /** Strict JSON parse of the event and recomputation of its id. */
    @Benchmark
    public boolean parseAndCheckId() throws InvalidEventException {
        return Event.parse(json).hasValidId();
    }
}
