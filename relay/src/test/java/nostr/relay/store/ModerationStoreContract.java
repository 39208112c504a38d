package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * NIP-86 backing lists: banned and allowed pubkeys, banned events (removed when banned), blocked
 * IPs, allowed kinds. Every mutation is durable; bad input is refused with a message and changes
 * nothing.
 */
public abstract class ModerationStoreContract extends StorageContract {
    static final String A = "aa".repeat(32);
    static final String B = "bb".repeat(32);

    protected ModerationStore mod;

    @Override
    protected void opened() {
        mod = storage.moderation();
    }

    @Test
    void nip86BannedPubkeysAreListedWithReasonsAndCanBeUnbanned() throws Exception {
        mod.banPubkey(B, "spam");
        mod.banPubkey(A, "");
        assertEquals(List.of(new Listed(A, ""), new Listed(B, "spam")), mod.bannedPubkeys());
        mod.banPubkey(A, "abuse");
        assertEquals(List.of(new Listed(A, "abuse"), new Listed(B, "spam")), mod.bannedPubkeys());
        mod.unbanPubkey(B);
        mod.unbanPubkey(B);
        assertEquals(List.of(new Listed(A, "abuse")), mod.bannedPubkeys());
        assertEquals(List.of(), mod.allowedPubkeys());
    }

    @Test
    void nip86AllowedPubkeysAreASeparateList() throws Exception {
        mod.allowPubkey(A, "member");
        mod.banPubkey(B, "");
        assertEquals(List.of(new Listed(A, "member")), mod.allowedPubkeys());
        mod.unallowPubkey(A);
        assertEquals(List.of(), mod.allowedPubkeys());
        assertEquals(List.of(new Listed(B, "")), mod.bannedPubkeys());
    }

    @Test
    void nip86BanEventRemovesTheStoredEventAndTakesItOffTheQueue() throws Exception {
        SecretKey key = SecretKey.generate();
        Event bad = event(key, 1, 1_700_000_000L, "bad", tag("t", "x"));
        Event good = event(key, 1, 1_700_000_001L, "good");
        storage.events().write(List.of(bad, good));
        storage.admin().flagEvent(bad.id(), "reported");
        mod.banEvent(bad.id(), "illegal");
        assertTrue(storage.events().get(bad.id()).isEmpty());
        assertTrue(storage.events().get(good.id()).isPresent());
        assertEquals(1, storage.events().size());
        assertEquals(List.of(new Listed(bad.id(), "illegal")), mod.bannedEvents());
        assertEquals(List.of(), storage.admin().eventsNeedingModeration());
        mod.banEvent(A, "not stored here");
        assertEquals(List.of(new Listed(bad.id(), "illegal"), new Listed(A, "not stored here")).stream()
                .sorted(java.util.Comparator.comparing(Listed::value)).toList(), mod.bannedEvents());
    }

    @Test
    void nip86AllowEventLiftsTheBanAndUnqueues() throws Exception {
        mod.banEvent(A, "x");
        storage.admin().flagEvent(B, "reported");
        mod.allowEvent(A, "mistake");
        mod.allowEvent(B, "fine");
        assertEquals(List.of(), mod.bannedEvents());
        assertEquals(List.of(), storage.admin().eventsNeedingModeration());
    }

    @Test
    void nip86BlockedIpsAndAllowedKinds() throws Exception {
        mod.blockIp("203.0.113.7", "flood");
        mod.blockIp("2001:db8::1", "");
        assertEquals(List.of(new Listed("2001:db8::1", ""), new Listed("203.0.113.7", "flood")), mod.blockedIps());
        mod.unblockIp("2001:db8::1");
        assertEquals(List.of(new Listed("203.0.113.7", "flood")), mod.blockedIps());
        mod.allowKind(30023);
        mod.allowKind(1);
        mod.allowKind(1);
        mod.allowKind(0);
        assertEquals(List.of(0, 1, 30023), mod.allowedKinds());
        mod.disallowKind(1);
        mod.disallowKind(7);
        assertEquals(List.of(0, 30023), mod.allowedKinds());
    }

    @Test
    void nip86BadInputIsRefusedWithAMessageAndChangesNothing() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mod.banPubkey("npub1xyz", "x"));
        assertTrue(e.getMessage().contains("pubkey"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mod.banPubkey(A, "nul\u0000inside"));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mod.banEvent("ABC", "x"));
        assertThrows(IllegalArgumentException.class, () -> mod.blockIp("", "x"));
        assertThrows(IllegalArgumentException.class, () -> mod.allowKind(70000));
        assertEquals(List.of(), mod.bannedPubkeys());
        assertEquals(List.of(), mod.bannedEvents());
        assertEquals(List.of(), mod.blockedIps());
        assertEquals(List.of(), mod.allowedKinds());
    }

    @Test
    void moderationListsAreDurable() throws Exception {
        mod.banPubkey(A, "a");
        mod.allowPubkey(B, "b");
        mod.banEvent(B, "e");
        mod.blockIp("192.0.2.1", "ip");
        mod.allowKind(7);
        closeAndReopen();
        assertEquals(List.of(new Listed(A, "a")), mod.bannedPubkeys());
        assertEquals(List.of(new Listed(B, "b")), mod.allowedPubkeys());
        assertEquals(List.of(new Listed(B, "e")), mod.bannedEvents());
        assertEquals(List.of(new Listed("192.0.2.1", "ip")), mod.blockedIps());
        assertEquals(List.of(7), mod.allowedKinds());
    }
}
