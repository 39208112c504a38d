package nostr.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import org.junit.jupiter.api.Test;

/**
 * {@link RelayClient} over real loopback sockets against a scripted WebSocket server: RFC 6455
 * fragmentation (section 5.4) and large messages, the errors a user sees (refused, upgrade
 * refused, timeout, closed by the relay), and NIP-01 subscriptions surviving a relay restart.
 */
class RelayClientSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final SecretKey author = SecretKey.generate();

    private Event event(String content) {
        return EventTemplate.of(1, content, List.of()).sign(author);
    }

    private static ClientOptions fastReconnect(int attempts) {
        return ClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(2))
                .withPingInterval(Duration.ofMillis(250))
                .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5, attempts));
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static RelayException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
        return assertInstanceOf(RelayException.class, e.getCause());
    }

    private static String subId(String reqFrame) throws Exception {
        return ((ClientMessage.Req) ClientMessage.parse(reqFrame)).subscriptionId();
    }

    @Test
    void nip01PublishAndSubscribeOverARealSocket() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(), ClientOptions.defaults())) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            assertTrue(client.isConnected());
            Event e = event("over the wire");
            CompletableFuture<PublishResult> f = client.publish(e);
            assertEquals("[\"EVENT\"," + e.json() + "]", peer.receive(WAIT));
            peer.send("[\"OK\",\"" + e.id() + "\",true,\"\"]");
            assertTrue(get(f).accepted());

            Recorder rec = new Recorder();
            Subscription sub = client.subscribe(List.of(Filter.builder().kinds(1).build()), rec);
            assertEquals(sub.id(), subId(peer.receive(WAIT)));
            peer.send("[\"EVENT\"," + Json.quote(sub.id()) + "," + e.json() + "]");
            peer.send("[\"EOSE\"," + Json.quote(sub.id()) + "]");
            assertEquals(List.of("event over the wire", "eose"), rec.next(2, WAIT));
            sub.close();
            assertEquals("[\"CLOSE\"," + Json.quote(sub.id()) + "]", peer.receive(WAIT));
        }
    }

    @Test
    void rfc6455FragmentedMessagesAreJoinedBeforeParsing() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(), ClientOptions.defaults())) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            Recorder rec = new Recorder();
            Subscription sub = client.subscribe(List.of(Filter.builder().build()), rec);
            peer.receive(WAIT);
            Event e = event("split into seven frames, with ünïcödé 🎉 across the cuts");
            peer.sendFragmented("[\"EVENT\"," + Json.quote(sub.id()) + "," + e.json() + "]", 7);
            peer.sendFragmented("[\"EOSE\"," + Json.quote(sub.id()) + "]", 3);
            assertEquals(List.of("event " + e.content(), "eose"), rec.next(2, WAIT));
            assertEquals(e.json(), rec.events.getFirst().json());
        }
    }

    @Test
    void rfc6455LargeMessagesArriveWhole() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(), ClientOptions.defaults())) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            Recorder rec = new Recorder();
            Subscription sub = client.subscribe(List.of(Filter.builder().build()), rec);
            peer.receive(WAIT);
            String big = "x".repeat(3 * 1024 * 1024);
            Event e = event(big);
            peer.send("[\"EVENT\"," + Json.quote(sub.id()) + "," + e.json() + "]");
            peer.sendFragmented("[\"EVENT\"," + Json.quote(sub.id()) + "," + event(big + "y").json() + "]", 40);
            assertEquals("event " + big, rec.next(WAIT));
            assertEquals("event " + big + "y", rec.next(WAIT));
        }
    }

    @Test
    void messageOverTheLimitBreaksTheConnectionWithAReason() throws Exception {
        ClientOptions small = ClientOptions.defaults().withMaxMessageChars(2048).withBackoff(Backoff.none());
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(), small)) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            CompletableFuture<PublishResult> f = client.publish(event("pending"));
            peer.receive(WAIT);
            try {
                peer.sendFragmented("[\"NOTICE\",\"" + "n".repeat(5000) + "\"]", 4);
            } catch (IOException dropped) {
                // the client hangs up as soon as the message passes its limit, before the last frames
            }
            RelayException e = failure(f);
            assertEquals(RelayException.Kind.CONNECTION_LOST, e.kind());
            assertEquals(server.url() + ": relay message is longer than 2048 characters", e.getMessage());
        }
    }

    @Test
    void connectionRefusedIsReportedAsSuch() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "ws://127.0.0.1:" + port;
        RelayException e = assertThrows(RelayException.class, () -> RelayClient.connect(url));
        assertEquals(RelayException.Kind.CONNECT_FAILED, e.kind());
        assertEquals(url + ": connection refused", e.getMessage());
    }

    @Test
    void refusedUpgradeNamesTheHttpStatus() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start()) {
            server.refuseUpgrades(403);
            RelayException e = assertThrows(RelayException.class, () -> RelayClient.connect(server.url()));
            assertEquals(RelayException.Kind.CONNECT_FAILED, e.kind());
            assertEquals(server.url() + ": the server refused the WebSocket upgrade (HTTP 403)", e.getMessage());
        }
    }

    @Test
    void silentServerTimesOutTheConnect() throws Exception {
        // Accepts TCP (the backlog does) but never answers the upgrade.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String url = "ws://127.0.0.1:" + silent.getLocalPort();
            RelayException e = assertThrows(RelayException.class, () -> RelayClient.connect(url,
                    ClientOptions.defaults().withConnectTimeout(Duration.ofMillis(300))));
            assertEquals(RelayException.Kind.TIMEOUT, e.kind());
            assertEquals(url + ": connection timed out after 300 ms", e.getMessage());
        }
    }

    @Test
    void notAWebSocketUrlIsRefusedUpFront() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayClient.connect("http://127.0.0.1:1"));
        assertEquals("relay URL must start with ws:// or wss://, got http://127.0.0.1:1", e.getMessage());
    }

    @Test
    void closeByTheRelayIsReportedWithItsCodeAndReason() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(),
                     ClientOptions.defaults().withBackoff(Backoff.none()))) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            Recorder rec = new Recorder();
            client.subscribe(List.of(Filter.builder().build()), rec);
            CompletableFuture<PublishResult> f = client.publish(event("cut off"));
            peer.receive(WAIT);
            peer.receive(WAIT);
            peer.sendClose(1001, "going away");
            RelayException e = failure(f);
            assertEquals(RelayException.Kind.CONNECTION_LOST, e.kind());
            assertEquals(server.url() + ": closed by the relay (1001 going away)", e.getMessage());
            assertEquals("failure " + server.url() + " CONNECTION_LOST", rec.next(WAIT));
            assertEquals(RelayException.Kind.CONNECTION_LOST, failure(client.publish(event("after"))).kind());
        }
    }

    @Test
    void nip01SubscriptionAndPendingPublishSurviveARelayRestart() throws Exception {
        WebSocketTestServer first = WebSocketTestServer.start();
        int port = first.port();
        try (RelayClient client = RelayClient.connect(first.url(), fastReconnect(50))) {
            WebSocketTestServer.Peer peer = first.nextPeer(WAIT);
            Recorder rec = new Recorder();
            Subscription sub = client.subscribe(List.of(Filter.builder().kinds(1).build()), rec);
            peer.receive(WAIT);
            peer.send("[\"EOSE\"," + Json.quote(sub.id()) + "]");
            assertEquals("eose", rec.next(WAIT));
            first.close();

            Event e = event("sent while the relay was down");
            CompletableFuture<PublishResult> f = client.publish(e);
            try (WebSocketTestServer second = WebSocketTestServer.start(port)) {
                WebSocketTestServer.Peer again = second.nextPeer(WAIT);
                List<String> frames = List.of(again.receive(WAIT), again.receive(WAIT));
                String req = frames.stream().filter(s -> s.startsWith("[\"REQ\"")).findFirst().orElseThrow();
                assertEquals(sub.id(), subId(req));
                assertTrue(frames.contains("[\"EVENT\"," + e.json() + "]"), frames.toString());
                again.send("[\"OK\",\"" + e.id() + "\",true,\"\"]");
                assertTrue(get(f).accepted());
                again.send("[\"EOSE\"," + Json.quote(sub.id()) + "]");
                again.send("[\"EVENT\"," + Json.quote(sub.id()) + "," + event("live again").json() + "]");
                assertEquals("event live again", rec.next(WAIT), "the second EOSE is not reported");
                assertTrue(client.isConnected());
            }
        }
    }

    @Test
    void givingUpAfterTheLastAttemptFailsEverythingWithTheLastError() throws Exception {
        WebSocketTestServer server = WebSocketTestServer.start();
        try (RelayClient client = RelayClient.connect(server.url(), fastReconnect(2))) {
            server.nextPeer(WAIT);
            Recorder rec = new Recorder();
            client.subscribe(List.of(Filter.builder().build()), rec);
            CompletableFuture<PublishResult> f = client.publish(event("never answered"));
            server.close();
            assertEquals("failure " + server.url() + " CONNECTION_LOST", rec.next(WAIT));
            RelayException e = failure(f);
            assertEquals(RelayException.Kind.CONNECTION_LOST, e.kind());
            assertEquals(server.url() + ": gave up reconnecting after 2 attempt(s); last error: connection refused",
                    e.getMessage());
        }
    }

    @Test
    void closingTheClientSendsANormalCloseAndFailsWhatIsPending() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start()) {
            RelayClient client = RelayClient.connect(server.url(), ClientOptions.defaults());
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            CompletableFuture<PublishResult> f = client.publish(event("abandoned"));
            peer.receive(WAIT);
            client.close();
            assertEquals(RelayException.Kind.CLIENT_CLOSED, failure(f).kind());
            assertTrue(peer.awaitClosed(WAIT));
            assertEquals(1000, peer.closeCodeReceived());
        }
    }

    @Test
    void rfc6455ConnectionThatStopsAnsweringPingsIsTreatedAsLost() throws Exception {
        ClientOptions opts = ClientOptions.defaults().withPingInterval(Duration.ofMillis(200))
                .withBackoff(Backoff.none());
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(), opts)) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            Recorder rec = new Recorder();
            Subscription sub = client.subscribe(List.of(Filter.builder().build()), rec);
            peer.receive(WAIT);
            peer.send("[\"EOSE\"," + Json.quote(sub.id()) + "]");
            assertEquals("eose", rec.next(WAIT));
            CompletableFuture<PublishResult> f = client.publish(event("into the void"));
            peer.receive(WAIT);
            peer.stopAnsweringPings();
            RelayException e = failure(f);
            assertEquals(server.url() + ": no answer to a ping within 200 ms", e.getMessage());
            assertEquals("failure " + server.url() + " CONNECTION_LOST", rec.next(WAIT));
        }
    }

    @Test
    void peerDroppingTheSocketIsALostConnection() throws IOException, InterruptedException {
        try (WebSocketTestServer server = WebSocketTestServer.start();
             RelayClient client = RelayClient.connect(server.url(),
                     ClientOptions.defaults().withBackoff(Backoff.none()))) {
            WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
            Recorder rec = new Recorder();
            client.subscribe(List.of(Filter.builder().build()), rec);
            peer.receive(WAIT);
            peer.drop();
            assertEquals("failure " + server.url() + " CONNECTION_LOST", rec.next(WAIT));
        }
    }
}
