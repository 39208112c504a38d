package nostr.relay.fault;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.RawWebSocket;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: one connection floods the relay with malformed frames (bad JSON, unknown
 * verbs, invalid UTF-8, binary, broken events) and never reads its NOTICEs, while other clients
 * publish and subscribe (NIP-01: bad input is answered, never fatal to others).
 */
class MalformedFloodTest {
    @TempDir
    Path dir;

    @Test
    void floodOfMalformedFramesDoesNotDisturbOtherClients() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage);
             WsClient publisher = WsClient.connect(relay.url());
             WsClient reader = WsClient.connect(relay.url())) {
            SecretKey alice = SecretKey.generate();
            long now = System.currentTimeMillis() / 1000;
            reader.query("s", Filter.builder().authors(alice.publicKey().hex()).build());

            AtomicInteger sent = new AtomicInteger();
            Event sample = event(alice, 1, now, "x");
            List<byte[]> garbage = List.of(
                    "not json at all".getBytes(StandardCharsets.UTF_8),
                    "[\"EVENT\",{\"id\":1}]".getBytes(StandardCharsets.UTF_8),
                    "[\"WHAT\",\"is this\"]".getBytes(StandardCharsets.UTF_8),
                    "[\"REQ\",\"x\",{\"kinds\":[\"a\"]}]".getBytes(StandardCharsets.UTF_8),
                    sample.json().replace("\"kind\":1", "\"kind\":-1").getBytes(StandardCharsets.UTF_8),
                    new byte[] {'[', '"', (byte) 0xff, (byte) 0xfe, '"', ']'},
                    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".getBytes(StandardCharsets.UTF_8));
            Thread flooder = Thread.ofVirtual().start(() -> {
                try (RawWebSocket raw = RawWebSocket.connect(relay.url(), 4096)) {
                    for (int i = 0; i < 50_000; i++) {
                        raw.frame(i % 97 == 0 ? 0x2 : 0x1, true, garbage.get(i % garbage.size()));
                        sent.incrementAndGet();
                    }
                } catch (IOException e) {
                    // The relay closed the flooder (it never read its notices): expected.
                }
            });

            MessageLog.until("the flood to start", () -> sent.get() > 1000);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Event e = event(alice, 1, now, "during the flood " + i);
                ids.add(e.id());
                assertTrue(publisher.publish(e).accepted());
            }
            reader.awaitEvent("s", ids.getLast());
            assertEquals(ids, reader.eventIds("s"));
            flooder.join();

            try (WsClient late = WsClient.connect(relay.url())) {
                assertEquals(200, late.query("t", Filter.builder().authors(alice.publicKey().hex()).limit(500).build()).size());
            }
            java.io.ByteArrayOutputStream metrics = new java.io.ByteArrayOutputStream();
            relay.metrics().writeText(metrics);
            String text = metrics.toString(StandardCharsets.UTF_8);
            assertTrue(text.matches("(?s).*parrhesia_notices_total [1-9][0-9]*\\.0.*"), "notices were sent");
        }
    }
}
