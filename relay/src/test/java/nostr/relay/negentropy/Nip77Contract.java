package nostr.relay.negentropy;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;
import nostr.core.client.ClientOptions;
import nostr.core.client.ReconcileResult;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.relay.config.NegentropyConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Visibility;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * NIP-77 over real WebSockets against the whole relay, per store adapter: NEG-OPEN / NEG-MSG /
 * NEG-CLOSE / NEG-ERR ("Nostr Messages"), the relay's limits (sessions, items, frame size), the
 * read restriction REQ applies (gift wraps for their recipients only), and the whole-store index
 * staying equal to the store through deletions, replaceable supersession, requests to vanish and
 * expiry. Each test uses fresh keys; results are compared with sets computed here from what was
 * published, or with the store's own items.
 */
public abstract class Nip77Contract extends LiveRelayContract {
    static final int MAX_SESSIONS = 3;
    static final int MAX_ITEMS = 300;
    static final int FRAME = 4096;

    @Override
    protected RelayConfig configure(RelayConfig base) {
        NegentropyConfig d = NegentropyConfig.defaults();
        return base.withNegentropy(new NegentropyConfig(true, MAX_SESSIONS, MAX_ITEMS, FRAME, Duration.ofMinutes(5),
                d.indexMaxItems(), d.indexRebuildInterval()));
    }

    private RelayClient client(ClientOptions options) throws Exception {
        RelayClient c = RelayClient.connect(relay.url(), options);
        return c;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Waits until the whole-store index serves sessions (it loads in the background after start). */
    private void awaitIndex() {
        MessageLog.until("negentropy index ready",
                () -> relay.negentropy().index().state() == NegentropyIndex.State.READY);
    }

    private List<Event> publish(RelayClient c, List<Event> events) throws Exception {
        List<CompletableFuture<nostr.core.client.PublishResult>> oks = new ArrayList<>();
        for (Event e : events) {
            oks.add(c.publish(e));
        }
        for (var ok : oks) {
            assertTrue(get(ok).accepted(), "published");
        }
        return events;
    }

    private static List<Event> notes(SecretKey key, int n, long from) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(key, 1, from + i / 3, "note " + i + " " + key.publicKey().hex().substring(0, 8)));
        }
        return out;
    }

    private static NegentropyArrayStorage storageOf(List<Event> events) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        events.forEach(e -> b.add(e.createdAt(), e.id()));
        return b.seal();
    }

    private static Set<String> ids(List<Event> events) {
        Set<String> s = new TreeSet<>();
        events.forEach(e -> s.add(e.id()));
        return s;
    }

    /** The relay's items for {@code f} as the store holds them (what the index must equal). */
    private NegentropyArrayStorage storeItems(Filter f, Visibility v) throws Exception {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        storage.events().scanItems(f, now(), v, (createdAt, id, kind, expiresAt) -> {
            b.add(createdAt, id);
            return true;
        });
        return b.seal();
    }

    @Test
    void nip77ReconcileReportsExactlyWhatEachSideLacksThroughIndexAndStore() throws Exception {
        awaitIndex();
        SecretKey a = SecretKey.generate();
        // Each test that reads a time window owns one, far from the others' events.
        long t = now() - 200_000;
        try (RelayClient c = client(ClientOptions.defaults())) {
            List<Event> onRelay = publish(c, notes(a, 120, t));
            List<Event> local = new ArrayList<>(onRelay.subList(30, 120));
            List<Event> onlyLocal = notes(a, 20, t + 500);
            local.addAll(onlyLocal);
            Set<String> needed = ids(onRelay.subList(0, 30));

            // By author: read from the store.
            Filter byAuthor = Filter.builder().authors(a.publicKey().hex()).build();
            ReconcileResult r = get(c.reconcile(byAuthor, storageOf(local), 0));
            assertEquals(needed, new TreeSet<>(r.need()));
            assertEquals(ids(onlyLocal), new TreeSet<>(r.have()));

            // By time only: served by the index (other tests' events lie outside this window).
            Filter window = Filter.builder().since(t).until(t + 600).build();
            ReconcileResult w = get(c.reconcile(window, storageOf(local), 0));
            assertEquals(needed, new TreeSet<>(w.need()));
            assertEquals(ids(onlyLocal), new TreeSet<>(w.have()));
        }
    }

    @Test
    void nip77WholeStoreIndexEqualsTheStoreAfterDeletionsReplacementsVanishAndExpiry() throws Exception {
        awaitIndex();
        SecretKey a = SecretKey.generate();
        SecretKey b = SecretKey.generate();
        long t = now() - 500;
        try (RelayClient c = client(ClientOptions.defaults())) {
            List<Event> aNotes = publish(c, notes(a, 10, t));
            publish(c, notes(b, 10, t));
            Event profile1 = event(a, 0, t, "{\"name\":\"a1\"}");
            Event profile2 = event(a, 0, t + 1, "{\"name\":\"a2\"}");
            Event article1 = event(a, 30023, t, "v1", tag("d", "post"));
            Event article2 = event(a, 30023, t + 2, "v2", tag("d", "post"));
            Event expiring = event(a, 1, t + 3, "soon gone", tag("expiration", String.valueOf(now() + 2)));
            publish(c, List.of(profile1, profile2, article1, article2, expiring));
            publish(c, List.of(event(a, 5, t + 4, "", tag("e", aNotes.get(0).id()), tag("e", aNotes.get(1).id()))));
            publish(c, List.of(event(b, 62, now(), "", tag("relay", relay.publicUrl()))));
            Filter all = Filter.builder().build();
            Visibility anonymous = new Visibility(Set.of(), Set.of(1059), Set.of());
            ReconcileResult r = get(c.reconcile(all, storeItems(all, anonymous), FRAME));
            assertEquals(List.of(), r.have(), "the index holds nothing the store lacks");
            assertEquals(List.of(), r.need(), "the store holds nothing the index lacks");

            // After the expiration passes, neither serves the expired event.
            MessageLog.until("expired", () -> now() >= expiring.expiration().getAsLong());
            NegentropyArrayStorage after = storeItems(all, anonymous);
            ReconcileResult r2 = get(c.reconcile(all, after, FRAME));
            assertEquals(List.of(), r2.have());
            assertEquals(List.of(), r2.need());
            byte[] id = new byte[32];
            for (int i = 0; i < after.size(); i++) {
                after.copyId(i, id, 0);
                assertTrue(!Hex.encode(id).equals(expiring.id()), "the store hides the expired event too");
            }
        }
    }

    @Test
    void nip77GiftWrapsOnlyForTheirAuthenticatedRecipient() throws Exception {
        awaitIndex();
        SecretKey sender = SecretKey.generate();
        SecretKey recipient = SecretKey.generate();
        long t = now() - 500_000;
        Event wrap = event(sender, 1059, t, "sealed", tag("p", recipient.publicKey().hex()));
        Event note = event(sender, 1, t, "public");
        Filter window = Filter.builder().since(t).until(t).build();
        try (RelayClient anon = client(ClientOptions.defaults())) {
            publish(anon, List.of(wrap, note));
            ReconcileResult r = get(anon.reconcile(window, NegentropyArrayStorage.empty(), 0));
            assertTrue(r.need().contains(note.id()));
            assertTrue(!r.need().contains(wrap.id()), "no gift wraps for an anonymous reader");
            RelayException e = failure(anon.reconcile(Filter.builder().kinds(1059).build(), NegentropyArrayStorage.empty(), 0));
            assertEquals(RelayException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().contains("auth-required:"), e.getMessage());
        }
        try (RelayClient other = client(ClientOptions.defaults().withSigner(EventSigner.of(SecretKey.generate())))) {
            ReconcileResult r = get(other.reconcile(Filter.builder().kinds(1059).since(t).until(t).build(),
                    NegentropyArrayStorage.empty(), 0));
            assertEquals(List.of(), r.need(), "someone else's gift wrap stays hidden");
        }
        try (RelayClient me = client(ClientOptions.defaults().withSigner(EventSigner.of(recipient)))) {
            // Force AUTH first: a time-only filter is not refused, so the client would not authenticate on its own.
            get(me.reconcile(Filter.builder().kinds(1059).since(t).until(t).build(), NegentropyArrayStorage.empty(), 0));
            ReconcileResult r = get(me.reconcile(window, NegentropyArrayStorage.empty(), 0));
            assertEquals(Set.of(note.id(), wrap.id()), new TreeSet<>(r.need()), "the index range plus the reader's own gift wrap");
        }
    }

    private static RelayException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        return assertInstanceOf(RelayException.class, e.getCause());
    }

    // ---- raw protocol: limits and refusals ------------------------------------------------------

    private static String negOpen(String id, Filter f, String hex) {
        return "[\"NEG-OPEN\"," + Json.quote(id) + "," + f.toJson() + "," + Json.quote(hex) + "]";
    }

    private static String negMsg(String id, String hex) {
        return "[\"NEG-MSG\"," + Json.quote(id) + "," + Json.quote(hex) + "]";
    }

    private static RelayMessage awaitNeg(WsClient ws, String id, int nth) {
        ws.await("answer " + nth + " for " + id, msgs -> negAnswers(msgs, id).size() >= nth);
        return negAnswers(ws.parsed(), id).get(nth - 1);
    }

    private static List<RelayMessage> negAnswers(List<RelayMessage> msgs, String id) {
        return msgs.stream().filter(m -> (m instanceof RelayMessage.NegMsg n && n.subscriptionId().equals(id))
                || (m instanceof RelayMessage.NegErr e && e.subscriptionId().equals(id))).toList();
    }

    @Test
    void nip77RepliesStayWithinTheFrameSizeLimitAndConverge() throws Exception {
        awaitIndex();
        SecretKey a = SecretKey.generate();
        long t = now() - 300_000;
        List<Event> events;
        try (RelayClient c = client(ClientOptions.defaults())) {
            events = publish(c, notes(a, 600, t));
        }
        WsClient ws = connect();
        Filter f = Filter.builder().since(t).until(t + 300).build();
        Negentropy client = new Negentropy(NegentropyArrayStorage.empty(), 0);
        ws.send(negOpen("big", f, client.initiateHex()));
        List<String> have = new ArrayList<>();
        List<String> need = new ArrayList<>();
        for (int n = 1; ; n++) {
            RelayMessage m = awaitNeg(ws, "big", n);
            RelayMessage.NegMsg reply = assertInstanceOf(RelayMessage.NegMsg.class, m, m.toString());
            assertTrue(reply.message().length() / 2 <= FRAME, "reply of " + reply.message().length() / 2 + " bytes");
            String next = client.reconcile(reply.message(), have, need);
            if (next == null) {
                break;
            }
            ws.send(negMsg("big", next));
        }
        assertEquals(ids(events), new TreeSet<>(need));
        assertTrue(ws.parsed().stream().filter(x -> x instanceof RelayMessage.NegMsg).count() > 2,
                "600 ids do not fit in one 4096-byte frame");
    }

    @Test
    void nip77SessionLimitNegErrBlockedAndReplacementDoesNotCount() throws Exception {
        WsClient ws = connect();
        String initial = new Negentropy(NegentropyArrayStorage.empty(), 0).initiateHex();
        Filter none = Filter.builder().authors(SecretKey.generate().publicKey().hex()).build();
        for (int i = 0; i < MAX_SESSIONS; i++) {
            ws.send(negOpen("s" + i, none, initial));
            assertInstanceOf(RelayMessage.NegMsg.class, awaitNeg(ws, "s" + i, 1));
        }
        ws.send(negOpen("s0", none, initial));
        assertInstanceOf(RelayMessage.NegMsg.class, awaitNeg(ws, "s0", 2), "re-opening an id replaces it");
        ws.send(negOpen("extra", none, initial));
        RelayMessage.NegErr err = assertInstanceOf(RelayMessage.NegErr.class, awaitNeg(ws, "extra", 1));
        assertTrue(err.reason().startsWith("blocked:"), err.reason());
        ws.send("[\"NEG-CLOSE\",\"s1\"]");
        ws.send(negOpen("extra", none, initial));
        assertInstanceOf(RelayMessage.NegMsg.class, awaitNeg(ws, "extra", 2), "room after NEG-CLOSE");
        ws.send(negMsg("s1", initial));
        RelayMessage.NegErr closed = assertInstanceOf(RelayMessage.NegErr.class, awaitNeg(ws, "s1", 2));
        assertTrue(closed.reason().startsWith("closed:"), closed.reason());
    }

    @Test
    void nip77TooManyItemsFromTheStoreIsBlockedWithTheLimit() throws Exception {
        SecretKey a = SecretKey.generate();
        try (RelayClient c = client(ClientOptions.defaults())) {
            publish(c, notes(a, MAX_ITEMS + 1, now() - 400_000));
        }
        WsClient ws = connect();
        ws.send(negOpen("many", Filter.builder().authors(a.publicKey().hex()).build(),
                new Negentropy(NegentropyArrayStorage.empty(), 0).initiateHex()));
        RelayMessage.NegErr err = assertInstanceOf(RelayMessage.NegErr.class, awaitNeg(ws, "many", 1));
        assertTrue(err.reason().startsWith("blocked:"), err.reason());
        String raw = ws.all().stream().filter(s -> s.startsWith("[\"NEG-ERR\",\"many\"")).findFirst().orElseThrow();
        assertTrue(raw.endsWith("," + MAX_ITEMS + "]"), "the limit as the fourth element: " + raw);
    }

    @Test
    void nip77MalformedMessagesGetNegErrInvalidAndTheConnectionStays() throws Exception {
        WsClient ws = connect();
        String initial = new Negentropy(NegentropyArrayStorage.empty(), 0).initiateHex();
        Filter none = Filter.builder().authors(SecretKey.generate().publicKey().hex()).build();
        ws.send(negOpen("bad-hex", none, "zz"));
        ws.send(negOpen("bad-version", none, "20"));
        ws.send(negOpen("truncated", none, "61"  + "ff"));
        ws.send("[\"NEG-OPEN\",\"no-filter\",42,\"61\"]");
        ws.send(negOpen("x".repeat(65), none, initial));
        for (String id : List.of("bad-hex", "bad-version", "truncated", "no-filter", "x".repeat(65))) {
            RelayMessage.NegErr err = assertInstanceOf(RelayMessage.NegErr.class, awaitNeg(ws, id, 1), id);
            assertTrue(err.reason().startsWith("invalid:"), id + ": " + err.reason());
        }
        ws.send(negOpen("ok", none, initial));
        assertInstanceOf(RelayMessage.NegMsg.class, awaitNeg(ws, "ok", 1));
        ws.send(negMsg("ok", "61ff"));
        assertTrue(assertInstanceOf(RelayMessage.NegErr.class, awaitNeg(ws, "ok", 2)).reason().startsWith("invalid:"));
        ws.send(negMsg("ok", initial));
        assertTrue(assertInstanceOf(RelayMessage.NegErr.class, awaitNeg(ws, "ok", 3)).reason().startsWith("closed:"),
                "after NEG-ERR the session is gone");
        assertEquals(List.of(), ws.query("alive", Filter.builder().ids("00".repeat(32)).build()));
    }

    @Test
    void nip77UnknownFutureVersionIsAnsweredWithV1() throws Exception {
        WsClient ws = connect();
        ws.send(negOpen("v2", Filter.builder().authors(SecretKey.generate().publicKey().hex()).build(), "62aabb"));
        RelayMessage.NegMsg m = assertInstanceOf(RelayMessage.NegMsg.class, awaitNeg(ws, "v2", 1));
        assertEquals("61", m.message());
    }

    @Test
    void nip11ListsNip77() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.url().replace("ws://", "http://")))
                .header("Accept", "application/nostr+json").build();
        String doc = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(doc.contains(",77,"), doc);
        assertTrue(doc.contains("\"negentropy_max_items\":" + MAX_ITEMS), doc);
    }

    /** Sorts events in negentropy order (tests that want to look at the first items). */
    static List<Event> sorted(List<Event> events) {
        return events.stream().sorted(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id)).toList();
    }
}
