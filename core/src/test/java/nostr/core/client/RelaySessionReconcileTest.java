package nostr.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;
import nostr.core.event.EventSigner;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import org.junit.jupiter.api.Test;

/**
 * The client side of NIP-77 driven frame by frame: NEG-OPEN, NEG-MSG rounds answered by a real
 * server engine, NEG-CLOSE at the end ("High-Level Protocol Description"), and every way a relay
 * can refuse or not understand it ("Error message", and relays without NIP-77: NOTICE, CLOSED,
 * silence).
 */
class RelaySessionReconcileTest {
    private static final String URL = "ws://relay.test";
    private final List<String> sent = new CopyOnWriteArrayList<>();

    private RelaySession connected(ClientOptions options) {
        RelaySession s = new RelaySession(URL, options);
        s.connected(sent::add);
        return s;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static RelayException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(RelayException.class, e.getCause());
    }

    private ClientMessage lastSent() throws Exception {
        return ClientMessage.parse(sent.getLast());
    }

    private static String id(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return Hex.encode(b);
    }

    @Test
    void nip77ReconcileFindsExactlyTheDifferencesAndClosesTheSession() throws Exception {
        Random r = new Random(7);
        NegentropyArrayStorage.Builder mine = NegentropyArrayStorage.builder();
        NegentropyArrayStorage.Builder theirs = NegentropyArrayStorage.builder();
        Set<String> onlyMine = new TreeSet<>();
        Set<String> onlyTheirs = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            String id = id(r);
            long ts = 1_700_000_000L + r.nextInt(10_000);
            int side = r.nextInt(10);
            if (side != 0) {
                mine.add(ts, id);
            }
            if (side != 1) {
                theirs.add(ts, id);
            }
            if (side == 1) {
                onlyMine.add(id);
            } else if (side == 0) {
                onlyTheirs.add(id);
            }
        }
        RelaySession s = connected(ClientOptions.defaults());
        Filter filter = Filter.builder().kinds(1).build();
        CompletableFuture<ReconcileResult> f = s.reconcile(filter, mine.seal(), 4096);
        ClientMessage.NegOpen open = (ClientMessage.NegOpen) lastSent();
        assertEquals(filter, open.filter());
        Negentropy server = new Negentropy(theirs.seal(), 4096);
        String msg = open.message();
        int rounds = 0;
        while (!f.isDone()) {
            String reply = server.reconcile(msg);
            s.receive("[\"NEG-MSG\"," + Json.quote(open.subscriptionId()) + "," + Json.quote(reply) + "]");
            rounds++;
            ClientMessage next = lastSent();
            if (next instanceof ClientMessage.NegMsg m) {
                assertEquals(open.subscriptionId(), m.subscriptionId());
                assertTrue(m.message().length() / 2 <= 4096, "client frames stay within its limit");
                msg = m.message();
            }
        }
        ReconcileResult result = get(f);
        assertEquals(onlyMine, new TreeSet<>(result.have()));
        assertEquals(onlyTheirs, new TreeSet<>(result.need()));
        assertEquals(result.have().size(), new HashSet<>(result.have()).size(), "each id once");
        assertEquals(rounds, result.rounds());
        assertTrue(result.bytesSent() > 0 && result.bytesReceived() > 0);
        assertEquals(new ClientMessage.NegClose(open.subscriptionId()), lastSent(), "NEG-CLOSE when done");
    }

    @Test
    void nip77NegErrIsARefusalWithTheRelaysReasonAndUnsupportedIsItsOwnKind() throws Exception {
        RelaySession s = connected(ClientOptions.defaults());
        CompletableFuture<ReconcileResult> f = s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0);
        String sub = ((ClientMessage.NegOpen) lastSent()).subscriptionId();
        s.receive("[\"NEG-ERR\"," + Json.quote(sub) + ",\"blocked: this query is too big\",500000]");
        RelayException e = failure(f);
        assertEquals(RelayException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("blocked: this query is too big"), e.getMessage());

        CompletableFuture<ReconcileResult> g = s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0);
        String sub2 = ((ClientMessage.NegOpen) lastSent()).subscriptionId();
        s.receive("[\"NEG-ERR\"," + Json.quote(sub2) + ",\"unsupported: negentropy syncing (NIP-77) is turned off\"]");
        assertEquals(RelayException.Kind.UNSUPPORTED, failure(g).kind());
    }

    @Test
    void nip77RelayWithoutNegentropyAnsweringNoticeOrClosedIsUnsupported() throws Exception {
        RelaySession s = connected(ClientOptions.defaults());
        CompletableFuture<ReconcileResult> f = s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0);
        s.receive("[\"NOTICE\",\"invalid: unknown message type \\\"NEG-OPEN\\\"\"]");
        RelayException e = failure(f);
        assertEquals(RelayException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("NIP-77"), e.getMessage());

        CompletableFuture<ReconcileResult> g = s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0);
        String sub = ((ClientMessage.NegOpen) lastSent()).subscriptionId();
        s.receive("[\"CLOSED\"," + Json.quote(sub) + ",\"error: unknown command\"]");
        assertEquals(RelayException.Kind.UNSUPPORTED, failure(g).kind());
    }

    @Test
    void nip77SilentRelayTimesOutNamingNip77() throws Exception {
        RelaySession s = connected(ClientOptions.defaults().withRequestTimeout(Duration.ofMillis(300)));
        long started = System.nanoTime();
        RelayException e = failure(s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0));
        assertEquals(RelayException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("NIP-77"), e.getMessage());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(8), "fails fast");
    }

    @Test
    void nip77ADroppedConnectionFailsTheReconciliation() throws Exception {
        RelaySession s = connected(ClientOptions.defaults());
        CompletableFuture<ReconcileResult> f = s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0);
        s.disconnected();
        assertEquals(RelayException.Kind.CONNECTION_LOST, failure(f).kind());
        assertEquals(RelayException.Kind.CONNECTION_LOST,
                failure(s.reconcile(Filter.builder().build(), NegentropyArrayStorage.empty(), 0)).kind());
    }

    @Test
    void nip42ChallengeArrivingBeforeTheSessionIsConnectedIsAnsweredOnConnect() throws Exception {
        SecretKey user = SecretKey.generate();
        RelaySession s = new RelaySession(URL, ClientOptions.defaults().withSigner(EventSigner.of(user)));
        s.receive("[\"AUTH\",\"early\"]");
        assertEquals(List.of(), sent);
        s.connected(sent::add);
        ClientMessage.Auth auth = (ClientMessage.Auth) lastSent();
        assertEquals(user.publicKey().hex(), auth.event().pubkey());
        assertTrue(auth.event().tags().contains(List.of("challenge", "early")), auth.event().json());
    }

    @Test
    void nip77AuthRequiredIsRetriedAfterAuth() throws Exception {
        SecretKey user = SecretKey.generate();
        RelaySession s = connected(ClientOptions.defaults().withSigner(EventSigner.of(user)));
        NegentropyArrayStorage mine = NegentropyArrayStorage.builder().add(5, "aa".repeat(32)).seal();
        CompletableFuture<ReconcileResult> f = s.reconcile(Filter.builder().kinds(1059).build(), mine, 0);
        String sub = ((ClientMessage.NegOpen) lastSent()).subscriptionId();
        s.receive("[\"NEG-ERR\"," + Json.quote(sub) + ",\"auth-required: gift wraps only for their recipients\"]");
        s.receive("[\"AUTH\",\"challenge\"]");
        ClientMessage.Auth auth = (ClientMessage.Auth) lastSent();
        s.receive("[\"OK\"," + Json.quote(auth.event().id()) + ",true,\"\"]");
        ClientMessage.NegOpen again = (ClientMessage.NegOpen) lastSent();
        assertEquals(sub, again.subscriptionId());
        String reply = new Negentropy(NegentropyArrayStorage.empty(), 0).reconcile(again.message());
        s.receive("[\"NEG-MSG\"," + Json.quote(sub) + "," + Json.quote(reply) + "]");
        ReconcileResult result = get(f);
        assertEquals(List.of("aa".repeat(32)), result.have());
        assertEquals(List.of(), result.need());
    }
}
