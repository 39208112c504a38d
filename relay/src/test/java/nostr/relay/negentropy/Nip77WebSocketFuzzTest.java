package nostr.relay.negentropy;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;
import nostr.core.client.ClientOptions;
import nostr.core.client.ReconcileResult;
import nostr.core.client.RelayClient;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.core.negentropy.NegentropyStorage;
import nostr.relay.store.Storage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.TestStores;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The relay's NIP-77 path under hostile input, over a real WebSocket: thousands of random and
 * mutated NEG-OPEN / NEG-MSG / NEG-CLOSE frames (valid messages from real reconciliations with bits
 * flipped, boundary bytes written, truncated, spliced, padded with varint runs; broken hex; wrong
 * JSON shapes; session ids reused, closed, unknown). Every NEG-OPEN and NEG-MSG must be answered
 * with NEG-MSG or NEG-ERR (NIP-77 "Nostr Messages") within a bounded time, the connection must stay
 * open, and another client must be served throughout. A malformed NEG-MSG once took down a major
 * relay; here the parser is core's (fuzzed on its own in core) and this checks the relay around it.
 * {@code -Dnip77.fuzz.frames=N} runs longer (default 3000).
 */
class Nip77WebSocketFuzzTest extends LiveRelayContract {
    private static final long PER_FRAME_BOUND_MS = 5000;
    private static final String[] IDS = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};

    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }

    /** Valid messages of both directions from reconciliations between the relay's items and variations of them. */
    private static List<byte[]> corpus(NegentropyStorage relayItems, SplittableRandom r) {
        List<byte[]> out = new ArrayList<>();
        for (int variant = 0; variant < 4; variant++) {
            NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
            byte[] id = new byte[32];
            for (int i = 0; i < relayItems.size(); i++) {
                if (r.nextInt(10) >= variant * 3) {
                    relayItems.copyId(i, id, 0);
                    b.add(relayItems.timestamp(i), id);
                }
            }
            for (int i = 0; i < variant * 40; i++) {
                r.nextBytes(id);
                b.add(1_600_000_000L + r.nextInt(1000), id);
            }
            Negentropy client = new Negentropy(b.seal(), variant % 2 == 0 ? 0 : 4096);
            Negentropy server = new Negentropy(relayItems, 4096);
            byte[] msg = client.initiate();
            while (msg != null) {
                out.add(msg);
                byte[] reply = server.reconcile(msg);
                out.add(reply);
                msg = client.reconcile(reply, new ArrayList<>(), new ArrayList<>());
            }
        }
        return out;
    }

    private static final byte[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x20, 0x60, 0x61, 0x62, 0x6f, 0x7f, (byte) 0x80,
            (byte) 0x81, (byte) 0xfe, (byte) 0xff};

    /** One mutated negentropy message (bytes). */
    private static byte[] mutate(List<byte[]> corpus, SplittableRandom r) {
        byte[] m = corpus.get(r.nextInt(corpus.size())).clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            switch (r.nextInt(8)) {
                case 0 -> {
                    if (m.length > 0) {
                        int at = r.nextInt(m.length);
                        m[at] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (m.length > 0) {
                        m[r.nextInt(m.length)] = INTERESTING[r.nextInt(INTERESTING.length)];
                    }
                }
                case 2 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));
                case 3 -> {
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    int cut = r.nextInt(m.length + 1);
                    int from = r.nextInt(other.length + 1);
                    byte[] s = Arrays.copyOf(m, cut + other.length - from);
                    System.arraycopy(other, from, s, cut, other.length - from);
                    m = s;
                }
                case 4 -> {
                    // A run of varint continuation bytes: huge counts, huge timestamps, over-long encodings.
                    int at = r.nextInt(m.length + 1);
                    int n = 1 + r.nextInt(12);
                    byte[] s = new byte[m.length + n];
                    System.arraycopy(m, 0, s, 0, at);
                    for (int i = 0; i < n; i++) {
                        s[at + i] = (byte) (0x80 | r.nextInt(128));
                    }
                    System.arraycopy(m, at, s, at + n, m.length - at);
                    m = s;
                }
                case 5 -> {
                    byte[] s = new byte[1 + r.nextInt(200)];
                    r.nextBytes(s);
                    s[0] = 0x61;
                    m = s;
                }
                case 6 -> {
                    if (m.length > 2) {
                        int a = r.nextInt(m.length);
                        int len = Math.min(m.length - a, 1 + r.nextInt(40));
                        byte[] s = Arrays.copyOf(m, m.length + len);
                        System.arraycopy(m, a, s, a + len, m.length - a);
                        m = s;
                    }
                }
                default -> {
                    if (m.length > 1) {
                        int a = r.nextInt(m.length);
                        int len = Math.min(m.length - a, 1 + r.nextInt(40));
                        byte[] s = new byte[m.length - len];
                        System.arraycopy(m, 0, s, 0, a);
                        System.arraycopy(m, a + len, s, a, m.length - a - len);
                        m = s;
                    }
                }
            }
        }
        return m;
    }

    /** The hex of a message, sometimes broken in ways that are not negentropy's business but must still get NEG-ERR. */
    private static String hex(byte[] m, SplittableRandom r) {
        String h = Hex.encode(m);
        return switch (r.nextInt(40)) {
            case 0 -> h + "0";
            case 1 -> h.toUpperCase();
            case 2 -> h.isEmpty() ? "zz" : "g" + h.substring(1);
            case 3 -> "";
            default -> h;
        };
    }

    private static String filter(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> "{\"kinds\":[1]}";
            case 1 -> "{\"since\":" + r.nextInt(2_000_000_000) + "}";
            case 2 -> "{\"authors\":[\"" + "ab".repeat(32) + "\"]}";
            case 3 -> "{\"kinds\":[1059]}";
            default -> "{}";
        };
    }

    @Test
    void nip77FuzzedFramesAreEachAnsweredAndTheRelayKeepsServing() throws Exception {
        int frames = Integer.getInteger("nip77.fuzz.frames", 3000);
        SecretKey author = SecretKey.generate();
        long t = now() - 10_000;
        List<Event> events = new ArrayList<>();
        try (RelayClient c = RelayClient.connect(relay.url(), ClientOptions.defaults())) {
            var oks = new ArrayList<java.util.concurrent.CompletableFuture<nostr.core.client.PublishResult>>();
            for (int i = 0; i < 2000; i++) {
                Event e = event(author, 1, t + i / 4, "fuzz " + i);
                events.add(e);
                oks.add(c.publish(e));
            }
            for (var ok : oks) {
                assertTrue(ok.get(60, TimeUnit.SECONDS).accepted());
            }
        }
        MessageLog.until("index ready", () -> relay.negentropy().index().state() == NegentropyIndex.State.READY);
        NegentropyArrayStorage.Builder rb = NegentropyArrayStorage.builder();
        events.forEach(e -> rb.add(e.createdAt(), e.id()));
        SplittableRandom r = new SplittableRandom(Long.getLong("nip77.fuzz.seed", 20261121L));
        List<byte[]> corpus = corpus(rb.seal(), r);

        WsClient fuzz = connect();
        WsClient other = connect();
        int expectedAnswers = 0;
        int expectedNotices = 0;
        long slowest = 0;
        int negMsgs = 0;
        for (int i = 0; i < frames; i++) {
            String id = IDS[r.nextInt(IDS.length)];
            int kind = r.nextInt(100);
            String frame;
            boolean answered = true;
            boolean notice = false;
            if (kind < 20) {
                frame = "[\"NEG-OPEN\"," + Json.quote(id) + "," + filter(r) + "," + Json.quote(hex(mutate(corpus, r), r)) + "]";
            } else if (kind < 40) {
                // Well-formed opens keep sessions alive, so mutated NEG-MSGs reach the engine.
                frame = "[\"NEG-OPEN\"," + Json.quote(id) + "," + filter(r) + "," + Json.quote(Hex.encode(corpus.get(0))) + "]";
            } else if (kind < 88) {
                frame = "[\"NEG-MSG\"," + Json.quote(id) + "," + Json.quote(hex(mutate(corpus, r), r)) + "]";
            } else if (kind < 93) {
                frame = "[\"NEG-CLOSE\"," + Json.quote(id) + "]";
                answered = false;
            } else if (kind < 96) {
                // Wrong shapes: a number for the message, a missing filter, an array filter.
                frame = switch (r.nextInt(3)) {
                    case 0 -> "[\"NEG-MSG\"," + Json.quote(id) + ",42]";
                    case 1 -> "[\"NEG-OPEN\"," + Json.quote(id) + ",\"6100\"]";
                    default -> "[\"NEG-OPEN\"," + Json.quote(id) + ",[],\"6100\"]";
                };
            } else {
                frame = "[\"NEG-MSG\"]";
                answered = false;
                notice = true;
            }
            long started = System.nanoTime();
            fuzz.send(frame);
            if (answered) {
                expectedAnswers++;
                int want = expectedAnswers;
                fuzz.await("answer to frame " + i + ": " + abbreviate(frame),
                        msgs -> msgs.stream().filter(m -> m instanceof RelayMessage.NegMsg || m instanceof RelayMessage.NegErr)
                                .count() >= want);
            } else if (notice) {
                expectedNotices++;
                int want = expectedNotices;
                fuzz.await("notice for frame " + i, msgs -> msgs.stream().filter(m -> m instanceof RelayMessage.Notice)
                        .count() >= want);
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            slowest = Math.max(slowest, ms);
            assertTrue(ms < PER_FRAME_BOUND_MS, "frame " + i + " took " + ms + " ms: " + abbreviate(frame));
            if (i % 250 == 0) {
                Event e = event(author, 1, now(), "still here " + i);
                assertTrue(other.publish(e).accepted(), "another client is served while the fuzzing goes on");
                assertEquals(List.of(e.id()), other.query("q" + i, Filter.builder().ids(e.id()).build()));
                other.close("q" + i);
            }
        }
        negMsgs = (int) fuzz.parsed().stream().filter(m -> m instanceof RelayMessage.NegMsg).count();
        long negErrs = fuzz.parsed().stream().filter(m -> m instanceof RelayMessage.NegErr).count();
        assertEquals(expectedAnswers, negMsgs + negErrs, "exactly one answer per NEG-OPEN / NEG-MSG");
        assertTrue(!fuzz.isClosed(), "the fuzzing connection is still open");
        assertTrue(negMsgs > 0 && negErrs > 0, "both outcomes occurred: " + negMsgs + " NEG-MSG, " + negErrs + " NEG-ERR");
        System.err.printf("nip77 websocket fuzz: %d frames, %d answered (%d NEG-MSG, %d NEG-ERR), slowest %d ms%n",
                frames, expectedAnswers, negMsgs, negErrs, slowest);

        // Afterwards a well-formed reconciliation still gives the exact answer.
        try (RelayClient c = RelayClient.connect(relay.url(), ClientOptions.defaults())) {
            ReconcileResult res = c.reconcile(Filter.builder().authors(author.publicKey().hex()).until(t + 1000).build(),
                    NegentropyArrayStorage.empty(), 4096).get(60, TimeUnit.SECONDS);
            TreeSet<String> want = new TreeSet<>();
            events.forEach(e -> want.add(e.id()));
            assertEquals(want, new TreeSet<>(res.need()));
        }
    }

    private static String abbreviate(String frame) {
        return frame.length() <= 160 ? frame : frame.substring(0, 160) + "...";
    }
}
