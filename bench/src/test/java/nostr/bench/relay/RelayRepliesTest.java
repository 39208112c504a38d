package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * NIP-01 relay messages read by the load generator: the compact fast path and the fallback to
 * core's parser must agree; RFC 6455's Sec-WebSocket-Accept example.
 */
class RelayRepliesTest {
    private static final String ID = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nip01OkInCompactFormIsReadWithoutTheParser() {
        byte[] m = b("[\"OK\",\"" + ID + "\",true,\"\"]");
        assertEquals(RelayReplies.Verb.OK, RelayReplies.verb(m, m.length));
        RelayReplies.Ok ok = RelayReplies.ok(m, m.length);
        assertEquals(new RelayReplies.Ok(ID, true, ""), ok);
        assertEquals("", ok.prefix());
    }

    @Test
    void nip01OkWithMessagesAndSpacesFallsBackToTheParser() {
        byte[] dup = b("[\"OK\",\"" + ID + "\",true,\"duplicate: already have this event\"]");
        RelayReplies.Ok ok = RelayReplies.ok(dup, dup.length);
        assertTrue(ok.accepted());
        assertEquals("duplicate", ok.prefix());
        byte[] spaced = b("[ \"OK\", \"" + ID + "\", false, \"rate-limited: slow down\" ]");
        assertEquals(RelayReplies.Verb.OK, RelayReplies.verb(spaced, spaced.length));
        ok = RelayReplies.ok(spaced, spaced.length);
        assertEquals(ID, ok.eventId());
        assertFalse(ok.accepted());
        assertEquals("rate-limited", ok.prefix());
        byte[] noPrefix = b("[\"OK\",\"" + ID + "\",false,\"this has no prefix: really\"]");
        assertEquals("", RelayReplies.ok(noPrefix, noPrefix.length).prefix());
    }

    @Test
    void nip01VerbsAndSubscriptionIds() {
        byte[] ev = b("[\"EVENT\",\"sub 1\",{\"id\":\"" + ID + "\",\"kind\":1}]");
        assertEquals(RelayReplies.Verb.EVENT, RelayReplies.verb(ev, ev.length));
        assertEquals("sub 1", RelayReplies.subscriptionId(ev, ev.length));
        byte[] prefix = RelayReplies.prefix("EVENT", "sub 1");
        assertEquals(prefix.length + 7, RelayReplies.eventIdOffset(ev, ev.length, prefix));
        assertEquals(ID, new String(ev, prefix.length + 7, 64, StandardCharsets.ISO_8859_1));
        assertEquals(-1, RelayReplies.eventIdOffset(ev, ev.length, RelayReplies.prefix("EVENT", "other")));
        byte[] eose = b("[\"EOSE\",\"q\"]");
        assertEquals(RelayReplies.Verb.EOSE, RelayReplies.verb(eose, eose.length));
        assertEquals("q", RelayReplies.subscriptionId(eose, eose.length));
        byte[] closed = b("[\"CLOSED\",\"q\",\"error: too slow\"]");
        assertEquals(RelayReplies.Verb.CLOSED, RelayReplies.verb(closed, closed.length));
        byte[] notice = b("[\"NOTICE\",\"invalid: bad json\"]");
        assertEquals(RelayReplies.Verb.NOTICE, RelayReplies.verb(notice, notice.length));
        byte[] spacedEose = b("[ \"EOSE\" , \"q\" ]");
        assertEquals(RelayReplies.Verb.EOSE, RelayReplies.verb(spacedEose, spacedEose.length));
        assertEquals("q", RelayReplies.subscriptionId(spacedEose, spacedEose.length));
        byte[] junk = b("not json");
        assertEquals(RelayReplies.Verb.OTHER, RelayReplies.verb(junk, junk.length));
        assertNull(RelayReplies.subscriptionId(junk, junk.length));
        assertThrows(IllegalArgumentException.class, () -> RelayReplies.ok(eose, eose.length));
    }

    @Test
    void onlyTheFirstLengthBytesOfAReusedBufferCount() {
        byte[] buffer = new byte[256];
        byte[] ok = b("[\"OK\",\"" + ID + "\",true,\"\"]");
        System.arraycopy(ok, 0, buffer, 0, ok.length);
        buffer[ok.length] = 'x';
        assertEquals(new RelayReplies.Ok(ID, true, ""), RelayReplies.ok(buffer, ok.length));
        assertFalse(RelayReplies.startsWith(buffer, 3, b("[\"OK"), 0));
    }

    @Test
    void rfc6455AcceptKeyOfTheSpecsExample() {
        // RFC 6455 section 1.3.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketConnection.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
