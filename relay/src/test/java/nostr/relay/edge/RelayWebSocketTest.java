package nostr.relay.edge;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.Relay;
import nostr.relay.config.Limits;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.Tuning;
import nostr.relay.info.RelayInfo;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.RawWebSocket;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay over real WebSockets and HTTP on one port (NIP-01 transport, NIP-11 document,
 * metrics, health), with the JDK's WebSocket client.
 */
class RelayWebSocketTest {
    @TempDir
    Path dir;

    private SqliteStorage storage;
    private Relay relay;
    private final List<WsClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    private void start(Limits limits, Tuning tuning) throws Exception {
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
        RelayConfig config = RelayConfig.defaults().withPort(0).withDataDir(dir).withLimits(limits).withTuning(tuning);
        relay = Relay.start(config, storage);
    }

    @BeforeEach
    void startDefault() throws Exception {
        start(Limits.defaults(), Tuning.defaults());
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        relay.close();
        storage.close();
    }

    private WsClient client() {
        WsClient c = WsClient.connect(relay.url());
        clients.add(c);
        return c;
    }

    private Filter mine() {
        return Filter.builder().authors(alice.publicKey().hex()).build();
    }

    private void restart(Limits limits, Tuning tuning) throws Exception {
        stop();
        clients.clear();
        start(limits, tuning);
    }

    @Test
    void nip01PublishQueryLiveAndCloseOverAWebSocket() {
        WsClient publisher = client();
        WsClient reader = client();
        Event stored = event(alice, 1, now - 10, "stored");
        RelayMessage.Ok ok = publisher.publish(stored);
        assertTrue(ok.accepted(), ok.message());
        assertEquals(List.of(stored.id()), reader.query("s", mine()));
        assertEquals(List.of("[\"EVENT\",\"s\"," + stored.json() + "]"), reader.rawEvents("s"));
        Event live = event(alice, 1, now, "live");
        assertTrue(publisher.publish(live).accepted());
        reader.awaitEvent("s", live.id());
        reader.close("s");
        reader.query("t", mine());
        Event after = event(alice, 1, now, "after close");
        assertTrue(publisher.publish(after).accepted());
        reader.awaitEvent("t", after.id());
        assertEquals(List.of(stored.id(), live.id()), reader.eventIds("s"));
    }

    @Test
    void nip11DocumentIsServedOnTheRelayUrlWithCors() throws Exception {
        URI uri = URI.create(relay.url().replace("ws://", "http://"));
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(uri).header("Accept", "application/nostr+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, doc.statusCode());
        assertEquals("application/nostr+json", doc.headers().firstValue("Content-Type").orElse(""));
        assertEquals("*", doc.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(doc.headers().firstValue("Access-Control-Allow-Headers").isPresent());
        assertTrue(doc.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));
        assertTrue(doc.body().contains("\"supported_nips\":[1,9,11,13,17,40,42,43,44,45,50,59,62,66,70,77,86,98]"), doc.body());
        assertTrue(doc.body().contains("\"max_message_length\":" + Limits.defaults().maxMessageLength()), doc.body());

        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://client.example").header("Access-Control-Request-Method", "GET").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertFalse(page.body().startsWith("{"));
    }

    @Test
    void metricsAndHealthAreServedOnTheSamePort() throws Exception {
        WsClient c = client();
        assertTrue(c.publish(event(alice, 1, now, "counted")).accepted());
        String base = relay.url().replace("ws://", "http://");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("parrhesia_events_accepted_total{result=\"stored\"} 1.0"), metrics.body());
        assertTrue(metrics.body().contains("parrhesia_connections 1.0"), metrics.body());
        assertTrue(metrics.body().contains("parrhesia_writer_batch_size_count"), metrics.body());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\",\"store\":\"sqlite\"}\n", health.body());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void nip01FragmentedMessagesAreReassembled() {
        WsClient c = client();
        Event e = event(alice, 1, now, "fragmented \u00e9\u00e8 \ud83d\ude00");
        String text = new ClientMessage.EventMsg(e).toJson();
        int cut = text.indexOf("\ud83d");
        c.sendFragmented(text.substring(0, 10), text.substring(10, cut), text.substring(cut));
        assertTrue(c.awaitOk(e.id()).accepted());
    }

    @Test
    void nip11OversizedMessagesGetANoticeAndTheConnectionSurvives() throws Exception {
        Limits d = Limits.defaults();
        restart(new Limits(2048, d.maxSubscriptions(), d.maxFilters(), d.maxLimit(), d.defaultLimit(), d.maxSubidLength(),
                d.maxEventTags(), d.maxContentLength(), d.maxReqEvents(), 0, 0, 0, 0), Tuning.defaults());
        WsClient c = client();
        String big = new ClientMessage.EventMsg(event(alice, 1, now, "z".repeat(100_000))).toJson();
        c.sendFragmented(big.substring(0, 50_000), big.substring(50_000));
        c.send(big);
        c.await("two notices", ms -> ms.stream().filter(m -> m instanceof RelayMessage.Notice n
                && n.message().contains("max_message_length")).count() == 2);
        assertTrue(c.publish(event(alice, 1, now, "small")).accepted());
    }

    @Test
    void binaryMessagesGetANoticeAndPingsAPong() throws Exception {
        WsClient c = client();
        c.sendBinary(new byte[] {1, 2, 3});
        assertTrue(c.awaitNotice("binary").startsWith("invalid:"));
        c.ping();
        assertTrue(c.publish(event(alice, 1, now, "after binary")).accepted());
    }

    @Test
    void slowConsumerIsDisconnectedWhileOthersKeepReceiving() throws Exception {
        Tuning t = Tuning.defaults();
        restart(Limits.defaults(), new Tuning(t.verifyThreads(), t.writerQueue(), t.writerBatch(), t.maxConcurrentQueries(),
                t.queryTimeBudget(), 1 << 20, t.maxInflightEvents(), t.idleTimeout(), t.pingInterval()));
        // A client with a 4 KiB receive buffer that never reads: TCP backs up almost at once.
        RawWebSocket slow = RawWebSocket.connect(relay.url(), 4096);
        assertTrue(slow.readText().startsWith("[\"AUTH\","), "NIP-42 challenge on connect");
        slow.text(new ClientMessage.Req("s", List.of(mine())).toJson());
        assertEquals("[\"EOSE\",\"s\"]", slow.readText());
        WsClient healthy = client();
        healthy.query("h", mine());
        WsClient publisher = client();
        String filler = "x".repeat(90_000);
        List<String> ids = new ArrayList<>();
        // Enough to fill the kernel's socket buffers on both ends and then the relay's 1 MiB queue.
        for (int i = 0; i < 200; i++) {
            Event e = event(alice, 1, now, i + filler);
            ids.add(e.id());
            assertTrue(publisher.publish(e).accepted());
        }
        assertFalse(healthy.isClosed(), "the reading client must not be closed");
        healthy.awaitEvent("h", ids.getLast());
        assertEquals(ids, healthy.eventIds("h"));
        MessageLog.until("the slow consumer gone", () -> relay.connectionCount() == 2);
        String base = relay.url().replace("ws://", "http://");
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("parrhesia_slow_consumer_closes_total 1.0"), metrics);
        assertTrue(slow.isClosedByPeer());
        slow.close();
    }

    @Test
    void nip01MessagesSplitInsideAUtf8SequenceAreReassembledAndInvalidUtf8GetsANotice() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(relay.url(), 0)) {
            assertTrue(raw.readText().startsWith("[\"AUTH\","), "NIP-42 challenge on connect");
            Event e = event(alice, 1, now, "caf\u00e9 \ud83d\ude00");
            byte[] bytes = new ClientMessage.EventMsg(e).toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int emoji = new ClientMessage.EventMsg(e).toJson().indexOf("\ud83d");
            int cut = new ClientMessage.EventMsg(e).toJson().substring(0, emoji).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2;
            raw.frame(0x1, false, java.util.Arrays.copyOfRange(bytes, 0, cut));
            raw.frame(0x0, true, java.util.Arrays.copyOfRange(bytes, cut, bytes.length));
            assertEquals("[\"OK\",\"" + e.id() + "\",true,\"\"]", raw.readText());
            raw.frame(0x1, true, new byte[] {'[', '"', (byte) 0xc3, '"', ']'});
            assertEquals("[\"NOTICE\",\"invalid: message is not valid UTF-8\"]", raw.readText());
            Event after = event(alice, 1, now, "after");
            raw.text(new ClientMessage.EventMsg(after).toJson());
            assertEquals("[\"OK\",\"" + after.id() + "\",true,\"\"]", raw.readText());
        }
    }

    @Test
    void quietConnectionsArePinged() throws Exception {
        Tuning t = Tuning.defaults();
        restart(Limits.defaults(), new Tuning(t.verifyThreads(), t.writerQueue(), t.writerBatch(), t.maxConcurrentQueries(),
                t.queryTimeBudget(), t.maxOutboundBytes(), t.maxInflightEvents(), t.idleTimeout(), java.time.Duration.ofSeconds(1)));
        try (RawWebSocket raw = RawWebSocket.connect(relay.url(), 0)) {
            assertTrue(raw.readText().startsWith("[\"AUTH\","), "NIP-42 challenge on connect");
            raw.awaitPing();
            raw.text(new ClientMessage.EventMsg(event(alice, 1, now, "still connected")).toJson());
            assertTrue(raw.readText().startsWith("[\"OK\""));
        }
    }

    @Test
    void shutdownClosesConnectionsAsGoingAway() throws Exception {
        WsClient c = client();
        assertTrue(c.publish(event(alice, 1, now, "before shutdown")).accepted());
        relay.close();
        assertEquals(1001, c.awaitClose());
        storage.close();
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
        relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage);
        assertEquals(1, client().query("s", mine()).size());
    }
}
