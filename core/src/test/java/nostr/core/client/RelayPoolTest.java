package nostr.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import org.junit.jupiter.api.Test;

/**
 * {@link RelayPool} against scripted relays on loopback: one copy of each event across relays
 * (NIP-01 ids), EOSE once every relay is done, a dead or silent relay never holding up the others,
 * per-relay publish and NIP-45 count outcomes.
 */
class RelayPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final SecretKey author = SecretKey.generate();

    private Event event(String content) {
        return EventTemplate.of(1, content, List.of()).sign(author);
    }

    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "ws://127.0.0.1:" + s.getLocalPort();
        }
    }

    private static String subId(WebSocketTestServer.Peer peer) throws Exception {
        return ((ClientMessage.Req) ClientMessage.parse(peer.receive(WAIT))).subscriptionId();
    }

    @Test
    void nip01EventsFromSeveralRelaysAreDeliveredOnceAndEoseComesAfterTheLast() throws Exception {
        try (WebSocketTestServer a = WebSocketTestServer.start();
             WebSocketTestServer b = WebSocketTestServer.start();
             RelayPool pool = RelayPool.connect(List.of(a.url(), b.url()), ClientOptions.defaults())) {
            WebSocketTestServer.Peer pa = a.nextPeer(WAIT);
            WebSocketTestServer.Peer pb = b.nextPeer(WAIT);
            Recorder rec = new Recorder();
            pool.subscribe(List.of(Filter.builder().kinds(1).build()), rec);
            String sa = subId(pa);
            String sb = subId(pb);
            Event shared = event("on both");
            pa.send("[\"EVENT\"," + Json.quote(sa) + "," + shared.json() + "]");
            pa.send("[\"EVENT\"," + Json.quote(sa) + "," + event("only a").json() + "]");
            pa.send("[\"EOSE\"," + Json.quote(sa) + "]");
            assertEquals(List.of("event on both", "event only a"), rec.next(2, WAIT));
            pb.send("[\"EVENT\"," + Json.quote(sb) + "," + shared.json() + "]");
            pb.send("[\"EVENT\"," + Json.quote(sb) + "," + event("only b").json() + "]");
            pb.send("[\"EOSE\"," + Json.quote(sb) + "]");
            assertEquals(List.of("event only b", "eose"), rec.next(2, WAIT));
            Event live = event("live on both");
            pb.send("[\"EVENT\"," + Json.quote(sb) + "," + live.json() + "]");
            pa.send("[\"EVENT\"," + Json.quote(sa) + "," + live.json() + "]");
            pa.send("[\"NOTICE\",\"flush\"]");
            assertEquals("event live on both", rec.next(WAIT));
            assertEquals(4, rec.events.size());
        }
    }

    @Test
    void deadAndSilentRelaysDoNotHoldUpTheOthers() throws Exception {
        String dead = deadUrl();
        ClientOptions opts = ClientOptions.defaults().withEoseTimeout(Duration.ofMillis(300))
                .withRequestTimeout(Duration.ofMillis(300));
        try (WebSocketTestServer good = WebSocketTestServer.start();
             WebSocketTestServer silent = WebSocketTestServer.start();
             RelayPool pool = RelayPool.connect(List.of(dead, good.url(), silent.url()), opts)) {
            assertEquals(RelayException.Kind.CONNECT_FAILED, pool.failures().get(dead).kind());
            assertEquals(List.of(dead, good.url(), silent.url()), pool.urls());
            WebSocketTestServer.Peer pg = good.nextPeer(WAIT);
            silent.nextPeer(WAIT);

            Recorder rec = new Recorder();
            pool.subscribe(List.of(Filter.builder().build()), rec);
            assertEquals("failure " + dead + " CONNECT_FAILED", rec.next(WAIT));
            String sg = subId(pg);
            pg.send("[\"EVENT\"," + Json.quote(sg) + "," + event("from the good one").json() + "]");
            pg.send("[\"EOSE\"," + Json.quote(sg) + "]");
            assertEquals(List.of("event from the good one", "failure " + silent.url() + " TIMEOUT", "eose"),
                    rec.next(3, WAIT));

            Event e = event("publish everywhere");
            var outcomes = pool.publish(e);
            pg.receive(WAIT);
            pg.send("[\"OK\",\"" + e.id() + "\",false,\"blocked: not today\"]");
            List<RelayOutcome<PublishResult>> results = outcomes.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(3, results.size());
            assertEquals(RelayException.Kind.CONNECT_FAILED,
                    assertInstanceOf(RelayOutcome.Failure.class, results.get(0)).error().kind());
            PublishResult r = (PublishResult) assertInstanceOf(RelayOutcome.Success.class, results.get(1)).value();
            assertEquals(new PublishResult(good.url(), e.id(), false, "blocked: not today"), r);
            RelayOutcome.Failure<?> timedOut = assertInstanceOf(RelayOutcome.Failure.class, results.get(2));
            assertEquals(silent.url(), timedOut.relayUrl());
            assertEquals(RelayException.Kind.TIMEOUT, timedOut.error().kind());
        }
    }

    @Test
    void nip45CountIsAskedOfEachRelay() throws Exception {
        try (WebSocketTestServer a = WebSocketTestServer.start();
             WebSocketTestServer b = WebSocketTestServer.start();
             RelayPool pool = RelayPool.connect(List.of(a.url(), b.url()), ClientOptions.defaults())) {
            WebSocketTestServer.Peer pa = a.nextPeer(WAIT);
            WebSocketTestServer.Peer pb = b.nextPeer(WAIT);
            var f = pool.count(List.of(Filter.builder().kinds(1).build()));
            String ca = ((ClientMessage.Count) ClientMessage.parse(pa.receive(WAIT))).subscriptionId();
            String cb = ((ClientMessage.Count) ClientMessage.parse(pb.receive(WAIT))).subscriptionId();
            pa.send("[\"COUNT\"," + Json.quote(ca) + ",{\"count\":7}]");
            pb.send("[\"CLOSED\"," + Json.quote(cb) + ",\"unsupported: no COUNT here\"]");
            List<RelayOutcome<CountResult>> out = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(new RelayOutcome.Success<>(a.url(), new CountResult(a.url(), 7, false, null)), out.get(0));
            RelayException refused = assertInstanceOf(RelayOutcome.Failure.class, out.get(1)).error();
            assertEquals(RelayException.Kind.REFUSED, refused.kind());
            assertTrue(refused.getMessage().endsWith("unsupported: no COUNT here"));
        }
    }

    @Test
    void poolSubscriptionRemembersABoundedNumberOfIds() throws Exception {
        ClientOptions opts = ClientOptions.defaults().withDedupCapacity(2);
        try (WebSocketTestServer a = WebSocketTestServer.start();
             RelayPool pool = RelayPool.connect(List.of(a.url()), opts)) {
            WebSocketTestServer.Peer pa = a.nextPeer(WAIT);
            Recorder rec = new Recorder();
            pool.subscribe(List.of(Filter.builder().build()), rec);
            String s = subId(pa);
            Event first = event("first");
            for (Event e : List.of(first, event("second"), event("third"), first)) {
                pa.send("[\"EVENT\"," + Json.quote(s) + "," + e.json() + "]");
            }
            // With room for two ids, "first" was forgotten by the time it came back.
            assertEquals(List.of("event first", "event second", "event third", "event first"), rec.next(4, WAIT));
        }
    }

    @Test
    void poolNeedsRelaysAndFilters() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> RelayPool.connect(List.of(), ClientOptions.defaults()));
        assertEquals("relay URL must start with ws:// or wss://, got 127.0.0.1:7777",
                assertThrows(IllegalArgumentException.class,
                        () -> RelayPool.connect(List.of("127.0.0.1:7777"), ClientOptions.defaults())).getMessage());
        try (RelayPool pool = RelayPool.connect(List.of(deadUrl()), ClientOptions.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> pool.subscribe(List.of(), new Recorder()));
        }
    }
}
