package nostr.relay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nostr.core.client.Backoff;
import nostr.core.client.ClientOptions;
import nostr.core.client.CountResult;
import nostr.core.client.PublishResult;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.client.RelayOutcome;
import nostr.core.client.RelayPool;
import nostr.core.client.Subscription;
import nostr.core.client.SubscriptionListener;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * core's {@code RelayClient} and {@code RelayPool} against the real relay (parrhesia on SQLite,
 * real sockets): NIP-01 publish and OK, REQ with stored events, EOSE, live events and CLOSE,
 * reconnecting after the relay restarts, de-duplication across two relays, large messages, and
 * NIP-45 COUNT (the exact count with HyperLogLog registers, and a refusal as CLOSED).
 */
class RelayClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final SecretKey author = SecretKey.generate();

    private Event note(String content) {
        return EventTemplate.of(1, content, List.of()).sign(author);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records events, EOSE, CLOSED and failures in order; tests wait on it with a deadline. */
    static final class Log implements SubscriptionListener {
        final BlockingQueue<String> items = new LinkedBlockingQueue<>();
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(String relayUrl, Event event) {
            events.add(event);
            items.add("event " + event.content());
        }

        @Override
        public void onEose() {
            items.add("eose");
        }

        @Override
        public void onClosed(String relayUrl, String reason) {
            items.add("closed " + reason);
        }

        @Override
        public void onFailure(String relayUrl, RelayException error) {
            items.add("failure " + error.getMessage());
        }

        String next() throws InterruptedException {
            String s = items.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (s == null) {
                throw new AssertionError("nothing heard within " + WAIT);
            }
            return s;
        }
    }

    @Test
    void nip01PublishIsAcceptedOnceThenReportedDuplicateAndForgeriesAreRefused() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient client = RelayClient.connect(relay.url())) {
            Event e = note("first");
            PublishResult ok = get(client.publish(e));
            assertEquals(new PublishResult(relay.url(), e.id(), true, ""), ok);
            PublishResult again = get(client.publish(e));
            assertTrue(again.accepted());
            assertEquals("duplicate", again.prefix());

            Event forged = Event.parse(e.json().replace("\"first\"", "\"forged\""));
            PublishResult refused = get(client.publish(forged));
            assertFalse(refused.accepted());
            assertEquals("invalid", refused.prefix());
        }
    }

    @Test
    void nip01SubscriptionGetsStoredEventsNewestFirstThenEoseThenLiveUntilClosed() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient writer = RelayClient.connect(relay.url());
             RelayClient reader = RelayClient.connect(relay.url())) {
            long t = System.currentTimeMillis() / 1000 - 100;
            for (int i = 0; i < 3; i++) {
                Event e = new EventTemplate(t + i, 1, List.of(), "stored " + i).sign(author);
                assertTrue(get(writer.publish(e)).accepted());
            }
            Filter mine = Filter.builder().kinds(1).authors(author.publicKey().hex()).build();
            Log log = new Log();
            Subscription sub = reader.subscribe(List.of(mine), log);
            assertEquals(List.of("event stored 2", "event stored 1", "event stored 0", "eose"),
                    List.of(log.next(), log.next(), log.next(), log.next()));

            Event live = note("live");
            assertTrue(get(writer.publish(live)).accepted());
            assertEquals("event live", log.next());
            assertEquals(live.json(), log.events.stream().reduce((a, b) -> b).orElseThrow().json());

            // After CLOSE nothing more arrives: a second, open subscription proves the relay sent on.
            sub.close();
            Log witness = new Log();
            reader.subscribe(List.of(Filter.builder().kinds(1).authors(author.publicKey().hex()).limit(0).build()),
                    witness);
            assertEquals("eose", witness.next());
            assertTrue(get(writer.publish(note("after close"))).accepted());
            assertEquals("event after close", witness.next());
            assertTrue(log.items.isEmpty(), log.items.toString());
        }
    }

    @Test
    void nip01LargeEventsTravelWhole() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient client = RelayClient.connect(relay.url())) {
            String big = "ü".repeat(100_000);
            Event e = note(big);
            assertTrue(get(client.publish(e)).accepted());
            Log log = new Log();
            client.subscribe(List.of(Filter.builder().ids(e.id()).build()), log);
            assertEquals("event " + big, log.next());
            assertEquals(e.json(), log.events.peek().json());
        }
    }

    @Test
    void nip45CountReturnsTheRelaysExactCountAndRegisters() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient client = RelayClient.connect(relay.url())) {
            Event post = note("a post to react to");
            assertTrue(get(client.publish(post)).accepted());
            List<String> reactors = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                SecretKey k = SecretKey.generate();
                reactors.add(k.publicKey().hex());
                Event reaction = new EventTemplate(post.createdAt(), 7, List.of(List.of("e", post.id())), "+").sign(k);
                assertTrue(get(client.publish(reaction)).accepted());
            }
            CountResult notes = get(client.count(List.of(Filter.builder().authors(author.publicKey().hex()).build())));
            assertEquals(new CountResult(relay.url(), 1, false, null), notes);
            CountResult reactions = get(client.count(List.of(Filter.builder().kinds(7).tag('e', post.id()).build())));
            assertEquals(12, reactions.count());
            assertFalse(reactions.approximate());
            assertEquals(nostr.relay.testing.NostrToolsHll.compute(post.id(), reactors).hll(), reactions.hll());
        }
    }

    @Test
    void nip45RefusedCountFailsRefusedWithTheRelaysReason() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient client = RelayClient.connect(relay.url())) {
            ExecutionException ex = assertThrows(ExecutionException.class, () -> get(client.count(
                    List.of(Filter.builder().kinds(1059).tag('p', author.publicKey().hex()).build()))));
            RelayException e = assertInstanceOf(RelayException.class, ex.getCause());
            assertEquals(RelayException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().contains("auth-required: kind 1059 gift wraps"), e.getMessage());
            // The connection is still usable.
            assertEquals(0, get(client.count(List.of(Filter.builder().authors(author.publicKey().hex()).build()))).count());
        }
    }

    @Test
    void nip01SubscriptionResumesAndPendingPublishIsAnsweredAfterTheRelayRestarts() throws Exception {
        ClientOptions fast = ClientOptions.defaults().withPingInterval(Duration.ofMillis(500))
                .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.5, 100));
        try (RunningRelay relay = RunningRelay.start();
             RelayClient reader = RelayClient.connect(relay.url(), fast)) {
            Log log = new Log();
            reader.subscribe(List.of(Filter.builder().kinds(1).authors(author.publicKey().hex()).build()), log);
            assertEquals("eose", log.next());

            relay.stop();
            Event during = note("published while the relay was down");
            CompletableFuture<PublishResult> pending = reader.publish(during);
            relay.restart();
            assertTrue(get(pending).accepted(), "the pending publish was sent again after reconnecting");
            assertEquals("event published while the relay was down", log.next());

            try (RelayClient writer = RelayClient.connect(relay.url())) {
                assertTrue(get(writer.publish(note("live after restart"))).accepted());
            }
            assertEquals("event live after restart", log.next());
            assertTrue(reader.isConnected());
            assertTrue(log.items.isEmpty(), "no second EOSE, no repeats: " + log.items);
        }
    }

    @Test
    void nip01PoolDeliversEachEventOnceAcrossTwoRelays() throws Exception {
        try (RunningRelay a = RunningRelay.start();
             RunningRelay b = RunningRelay.start();
             RelayPool pool = RelayPool.connect(List.of(a.url(), b.url()), ClientOptions.defaults())) {
            Event both = note("on both relays");
            Event onlyB = note("only on b");
            List<RelayOutcome<PublishResult>> results = get(pool.publish(both));
            assertEquals(List.of(a.url(), b.url()), results.stream().map(RelayOutcome::relayUrl).toList());
            for (RelayOutcome<PublishResult> r : results) {
                assertTrue(assertInstanceOf(RelayOutcome.Success.class, r).value() instanceof PublishResult p
                        && p.accepted(), r.toString());
            }
            try (RelayClient direct = RelayClient.connect(b.url())) {
                assertTrue(get(direct.publish(onlyB)).accepted());
            }

            Log log = new Log();
            pool.subscribe(List.of(Filter.builder().authors(author.publicKey().hex()).build()), log);
            List<String> stored = List.of(log.next(), log.next(), log.next());
            assertEquals(2, stored.stream().filter(s -> s.startsWith("event ")).count(), stored.toString());
            assertTrue(stored.contains("event on both relays") && stored.contains("event only on b"), stored.toString());
            assertEquals("eose", stored.getLast(), "EOSE comes after both relays' stored events");

            Event live = note("live on both");
            get(pool.publish(live));
            assertEquals("event live on both", log.next());
            Event marker = note("marker on a");
            try (RelayClient direct = RelayClient.connect(a.url())) {
                assertTrue(get(direct.publish(marker)).accepted());
            }
            assertEquals("event marker on a", log.next(), "the second copy of the live event was dropped");

            // NIP-45 through the pool: one count per relay (each holds its copy of "on both" and "live on both").
            List<RelayOutcome<CountResult>> counts = get(pool.count(List.of(Filter.builder().authors(author.publicKey().hex()).build())));
            assertEquals(2, counts.size());
            for (RelayOutcome<CountResult> c : counts) {
                RelayOutcome.Success<?> ok = assertInstanceOf(RelayOutcome.Success.class, c);
                assertEquals(3, ((CountResult) ok.value()).count(), c.relayUrl());
            }
        }
    }
}
