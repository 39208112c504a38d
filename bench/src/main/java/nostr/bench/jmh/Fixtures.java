package nostr.bench.jmh;

import java.util.List;
import nostr.core.event.EventTemplate;

/** Fixed inputs shared by the benchmarks, so runs compare like with like. */
final class Fixtures {
    static final String SECRET_KEY = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
    static final String PEER_SECRET_KEY = "0beebd062ec8735f4243466049d7747ef5d6594ee838de147f8aab842b15e273";

    private Fixtures() {}

    /** A kind 1 reply, 559 bytes of JSON once signed: short text, an e tag with relay hint and marker, a p tag. */
    static EventTemplate typicalNote() {
        return new EventTemplate(1_717_000_000L, 1, List.of(
                List.of("e", "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36", "wss://relay.example.com", "reply"),
                List.of("p", "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d")),
                "Agreed, the relay handled it well. \u26a1");
    }
}
