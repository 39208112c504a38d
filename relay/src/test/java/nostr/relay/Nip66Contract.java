package nostr.relay;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-66 "Relay Liveness Monitoring": relay discovery events (kind 30166, addressable by the
 * relay's normalized URL or a hex pubkey in {@code d}) and monitor announcements (kind 10166,
 * replaceable) are ordinary events to this relay: nothing blocks them, they are served exactly as
 * published, their single-letter tags ({@code n}, {@code N}, {@code R}, {@code T}, {@code k},
 * {@code g}, {@code t}) are queryable, and newer versions replace older ones. One subclass per
 * storage adapter.
 */
public abstract class Nip66Contract extends LiveRelayContract {
    private SecretKey monitor;
    private long now;

    @BeforeEach
    void freshKeys() {
        monitor = SecretKey.generate();
        now = now();
    }

    private Event discovery(long at, String relayUrl, String rttOpen) {
        String nip11 = "{\"name\":\"some relay\",\"supported_nips\":[1,11,40],\"description\":\"line one\\nline \\\"two\\\"\"}";
        return event(monitor, 30166, at, nip11, tag("d", relayUrl), tag("n", "clearnet"), tag("N", "40"), tag("N", "11"),
                tag("R", "!payment"), tag("R", "auth"), tag("T", "PrivateInbox"), tag("k", "1"), tag("k", "!4"),
                tag("g", "ww8p1r4t8"), tag("l", "en", "ISO-639-1"), tag("t", "nsfw"), tag("rtt-open", rttOpen));
    }

    private Event announcement(long at, String frequency) {
        return event(monitor, 10166, at, "", tag("timeout", "open", "5000"), tag("timeout", "read", "3000"),
                tag("frequency", frequency), tag("c", "ws"), tag("c", "nip11"), tag("g", "ww8p1r4t8"));
    }

    @Test
    void nip66DiscoveryAndAnnouncementEventsRoundTripByteForByte() {
        WsClient c = connect();
        String url = "wss://some.relay.example/";
        Event d = discovery(now - 10, url, "234");
        Event a = announcement(now - 10, "3600");
        for (Event e : List.of(d, a)) {
            RelayMessage.Ok ok = c.publish(e);
            assertTrue(ok.accepted(), ok.message());
            assertEquals("", ok.message());
        }
        WsClient reader = connect();
        assertEquals(List.of(d.id()), reader.query("d", Filter.builder().kinds(30166).tag('d', url).build()));
        assertEquals(List.of("[\"EVENT\",\"d\"," + d.json() + "]"), reader.rawEvents("d"));
        assertEquals(List.of(a.id()), reader.query("a", Filter.builder().kinds(10166).authors(monitor.publicKey().hex()).build()));
        assertEquals(List.of("[\"EVENT\",\"a\"," + a.json() + "]"), reader.rawEvents("a"));
        String served = reader.rawEvents("d").getFirst();
        assertTrue(served.contains(Json.quote(d.content())), "the NIP-11 document in content is kept as sent");
    }

    @Test
    void nip66TagsOfDiscoveryEventsAreQueryable() {
        WsClient c = connect();
        String url = "wss://tags.relay.example/";
        Event d = discovery(now - 10, url, "100");
        assertTrue(c.publish(d).accepted());
        Filter.Builder mine = Filter.builder().authors(monitor.publicKey().hex()).kinds(30166);
        assertEquals(List.of(d.id()), c.query("N", Filter.builder().authors(monitor.publicKey().hex()).tag('N', "40").build()));
        assertEquals(List.of(d.id()), c.query("R", Filter.builder().authors(monitor.publicKey().hex()).tag('R', "!payment").build()));
        assertEquals(List.of(d.id()), c.query("T", Filter.builder().authors(monitor.publicKey().hex()).tag('T', "PrivateInbox").build()));
        assertEquals(List.of(d.id()), c.query("n", Filter.builder().authors(monitor.publicKey().hex()).tag('n', "clearnet").build()));
        assertEquals(List.of(d.id()), c.query("k", Filter.builder().authors(monitor.publicKey().hex()).tag('k', "!4").build()));
        assertEquals(List.of(), c.query("none", mine.tag('N', "99").build()));
        c.send(new ClientMessage.Count("count", List.of(Filter.builder().kinds(30166).tag('d', url).build())).toJson());
        assertEquals(1, c.awaitFirst("COUNT", RelayMessage.Count.class, n -> n.subscriptionId().equals("count")).count());
    }

    @Test
    void nip66NewerVersionsReplaceOlderOnes() {
        WsClient c = connect();
        String url = "wss://changing.relay.example/";
        String pubkeyRelay = SecretKey.generate().publicKey().hex();
        Event old = discovery(now - 100, url, "500");
        Event fresh = discovery(now - 10, url, "90");
        Event byPubkey = discovery(now - 50, pubkeyRelay, "70");
        Event oldAnnouncement = announcement(now - 100, "3600");
        Event newAnnouncement = announcement(now - 10, "600");
        for (Event e : List.of(old, byPubkey, oldAnnouncement, fresh, newAnnouncement)) {
            assertTrue(c.publish(e).accepted());
        }
        assertEquals(List.of(fresh.id(), byPubkey.id()), c.query("d", Filter.builder().kinds(30166)
                .authors(monitor.publicKey().hex()).build()), "one per d tag, the newest");
        assertEquals(List.of(newAnnouncement.id()), c.query("a", Filter.builder().kinds(10166)
                .authors(monitor.publicKey().hex()).build()));
        RelayMessage.Ok stale = connect().publish(discovery(now - 200, url, "999"));
        assertTrue(stale.accepted());
        assertEquals("duplicate", stale.prefix(), stale.message());
    }
}
