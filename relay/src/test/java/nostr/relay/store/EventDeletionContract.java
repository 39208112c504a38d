package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.nip01Order;
import static nostr.relay.store.TestEvents.query;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * NIP-09 deletion requests (e and a tags, requester's own events only, no effect on deletion
 * requests), NIP-62 requests to vanish (the pubkey's events and gift wraps to it), the operator's
 * event bans (NIP-86), and the memory that refuses re-submission of what they removed
 * (WriteStatus DELETED / VANISHED), durable across a reopen.
 */
public abstract class EventDeletionContract extends StorageContract {
    static final long T = 1_700_000_000L;
    static final long NOW = T + 100_000;

    protected final SecretKey alice = SecretKey.generate();
    protected final SecretKey bob = SecretKey.generate();
    protected final SecretKey carol = SecretKey.generate();
    protected EventStore store;

    @Override
    protected void opened() {
        store = storage.events();
    }

    private List<WriteStatus> write(Event... events) throws StoreException {
        return store.write(List.of(events));
    }

    private String address(SecretKey key, int kind, String d) {
        return kind + ":" + key.publicKey().hex() + ":" + d;
    }

    @Test
    void nip09DeletesTheRequestersOwnEventsNamedByETagsAndRefusesThemAgain() throws Exception {
        Event a1 = event(alice, 1, T, "a1", tag("t", "x"));
        Event a2 = event(alice, 1, T + 1, "a2");
        Event b1 = event(bob, 1, T + 2, "b1");
        Event notYetSeen = event(alice, 7, T + 3, "+");
        write(a1, a2, b1);
        Event request = event(alice, 5, T + 10, "oops", tag("e", a1.id()), tag("e", b1.id()), tag("e", notYetSeen.id()),
                tag("e", "not an id"), tag("k", "1"));
        write(request);
        assertEquals(1, store.deleteByRequest(request));
        assertTrue(store.get(a1.id()).isEmpty());
        assertTrue(store.get(b1.id()).isPresent(), "only the requester's own events are deleted");
        assertEquals(nip01Order(List.of(request, b1, a2)), ids(query(store, Filter.builder().build(), 10, NOW)));
        assertEquals(List.of(), query(store, Filter.builder().tag('t', "x").build(), 10, NOW));
        assertEquals(List.of(WriteStatus.DELETED, WriteStatus.DELETED, WriteStatus.DUPLICATE, WriteStatus.DUPLICATE),
                write(a1, notYetSeen, b1, request));
        assertEquals(0, store.deleteByRequest(request));
    }

    @Test
    void nip09WriteDeletionRequestStoresAndAppliesTheRequestInOneStep() throws Exception {
        Event a1 = event(alice, 1, T, "a1");
        Event article = event(alice, 30023, T, "v1", tag("d", "slug"));
        Event b1 = event(bob, 1, T + 1, "b1");
        write(a1, article, b1);
        Event notYetSeen = event(alice, 1, T + 2, "later");
        Event request = event(alice, 5, T + 10, "", tag("e", a1.id()), tag("e", b1.id()), tag("e", notYetSeen.id()),
                tag("a", address(alice, 30023, "slug")), tag("k", "1"));
        assertEquals(new EventStore.Applied(WriteStatus.STORED, 2), store.writeDeletionRequest(request));
        assertTrue(store.get(request.id()).isPresent(), "the request itself is stored");
        assertTrue(store.get(a1.id()).isEmpty());
        assertTrue(store.get(article.id()).isEmpty());
        assertTrue(store.get(b1.id()).isPresent(), "only the requester's own events are deleted");
        assertEquals(List.of(WriteStatus.DELETED, WriteStatus.DELETED, WriteStatus.DELETED),
                write(a1, notYetSeen, event(alice, 30023, T + 5, "v2", tag("d", "slug"))));
        // Sending it again is harmless: DUPLICATE, nothing more removed, the memory kept.
        assertEquals(new EventStore.Applied(WriteStatus.DUPLICATE, 0), store.writeDeletionRequest(request));
        closeAndReopen();
        assertEquals(List.of(WriteStatus.DELETED), write(notYetSeen));
        assertTrue(store.get(request.id()).isPresent());
    }

    @Test
    void nip09WriteDeletionRequestReappliesWhenTheRequestIsAlreadyStored() throws Exception {
        // A request stored by an earlier write (a crash before applying, an import) is applied when sent again.
        Event a1 = event(alice, 1, T, "a1");
        write(a1);
        Event request = event(alice, 5, T + 10, "", tag("e", a1.id()));
        write(request);
        assertTrue(store.get(a1.id()).isPresent());
        assertEquals(new EventStore.Applied(WriteStatus.DUPLICATE, 1), store.writeDeletionRequest(request));
        assertTrue(store.get(a1.id()).isEmpty());
    }

    @Test
    void nip62WriteDeletionRequestOfAVanishedWindowIsRefusedAndAppliesNothing() throws Exception {
        Event later = event(alice, 1, T + 200, "after the vanish");
        store.vanish(alice.publicKey().hex(), T + 100);
        write(later);
        Event old = event(alice, 5, T + 50, "", tag("e", later.id()));
        assertEquals(new EventStore.Applied(WriteStatus.VANISHED, 0), store.writeDeletionRequest(old));
        assertTrue(store.get(later.id()).isPresent());
        assertTrue(store.get(old.id()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.writeDeletionRequest(later));
    }

    @Test
    void nip09DeletingADeletionRequestHasNoEffect() throws Exception {
        Event first = event(alice, 5, T, "", tag("e", "ab".repeat(32)));
        write(first);
        Event second = event(alice, 5, T + 1, "", tag("e", first.id()));
        write(second);
        assertEquals(0, store.deleteByRequest(second));
        assertTrue(store.get(first.id()).isPresent());
        assertEquals(List.of(WriteStatus.DUPLICATE), write(first));
    }

    @Test
    void nip09ATagDeletesVersionsUpToTheRequestAndRefusesThemLater() throws Exception {
        Event v1 = event(alice, 30023, T, "v1", tag("d", "slug"));
        Event otherSlug = event(alice, 30023, T, "other", tag("d", "other"));
        Event list = event(alice, 10002, T, "relays");
        Event bobs = event(bob, 30023, T, "bob's", tag("d", "slug"));
        write(v1, otherSlug, list, bobs);
        Event request = event(alice, 5, T + 5, "", tag("a", address(alice, 30023, "slug")), tag("a", address(alice, 10002, "")),
                tag("a", address(bob, 30023, "slug")), tag("a", "1:" + alice.publicKey().hex() + ":"), tag("a", "garbage"));
        assertEquals(2, store.deleteByRequest(request));
        assertTrue(store.get(v1.id()).isEmpty());
        assertTrue(store.get(list.id()).isEmpty());
        assertTrue(store.get(otherSlug.id()).isPresent());
        assertTrue(store.get(bobs.id()).isPresent(), "an address of another author is not the requester's to delete");

        Event older = event(alice, 30023, T + 3, "v0", tag("d", "slug"));
        Event atRequestTime = event(alice, 30023, T + 5, "v2", tag("d", "slug"));
        Event newer = event(alice, 30023, T + 6, "v3", tag("d", "slug"));
        Event newerList = event(alice, 10002, T + 6, "relays again");
        assertEquals(List.of(WriteStatus.DELETED, WriteStatus.DELETED, WriteStatus.DELETED, WriteStatus.STORED, WriteStatus.STORED),
                write(v1, older, atRequestTime, newer, newerList));
        assertEquals(List.of(newer.id()), ids(query(store, Filter.builder().tag('d', "slug").authors(alice.publicKey().hex())
                .build(), 10, NOW)));
    }

    @Test
    void nip09ATagDeletesOnlyVersionsCreatedAtOrBeforeTheRequest() throws Exception {
        Event later = event(alice, 30000, T + 10, "written after the request's time", tag("d", "x"));
        write(later);
        Event request = event(alice, 5, T + 5, "", tag("a", address(alice, 30000, "x")));
        assertEquals(0, store.deleteByRequest(request));
        assertTrue(store.get(later.id()).isPresent());
    }

    @Test
    void nip09NonDeletionEventIsRefused() {
        Event note = event(alice, 1, T, "not a deletion", tag("e", "ab".repeat(32)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.deleteByRequest(note));
        assertTrue(e.getMessage().contains("kind 5"), e.getMessage());
    }

    @Test
    void nip09DeletionMemoryIsDurable() throws Exception {
        Event note = event(alice, 1, T, "gone");
        Event v = event(alice, 30023, T, "v", tag("d", "d"));
        write(note, v);
        store.deleteByRequest(event(alice, 5, T + 1, "", tag("e", note.id()), tag("a", address(alice, 30023, "d"))));
        closeAndReopen();
        assertEquals(List.of(WriteStatus.DELETED, WriteStatus.DELETED), write(note, v));
    }

    @Test
    void nip62VanishRemovesThePubkeysEventsAndGiftWrapsToItUpToTheTime() throws Exception {
        String alicePk = alice.publicKey().hex();
        Event note = event(alice, 1, T, "note");
        Event profile = event(alice, 0, T + 1, "{}");
        Event deletion = event(alice, 5, T + 2, "", tag("e", "ab".repeat(32)));
        Event article = event(alice, 30023, T + 3, "a", tag("d", "x"));
        Event atTime = event(alice, 1, T + 10, "at the vanish time");
        Event after = event(alice, 1, T + 20, "after the request");
        Event wrapToAlice = event(bob, 1059, T + 5, "sealed", tag("p", alicePk));
        Event wrapToCarol = event(bob, 1059, T + 5, "sealed", tag("p", carol.publicKey().hex()));
        Event mention = event(bob, 1, T + 5, "hi alice", tag("p", alicePk));
        Event lateWrap = event(bob, 1059, T + 15, "sealed later", tag("p", alicePk));
        store.write(List.of(note, profile, deletion, article, atTime, after, wrapToAlice, wrapToCarol, mention, lateWrap));

        assertEquals(6, store.vanish(alicePk, T + 10));
        assertEquals(nip01Order(List.of(after, lateWrap, wrapToCarol, mention)),
                ids(query(store, Filter.builder().build(), 100, NOW)));
        assertEquals(List.of(WriteStatus.VANISHED, WriteStatus.VANISHED, WriteStatus.VANISHED, WriteStatus.VANISHED,
                WriteStatus.DUPLICATE), write(note, article, atTime, wrapToAlice, after));
        Event newNote = event(alice, 1, T + 11, "back");
        Event newWrap = event(carol, 1059, T + 11, "sealed", tag("p", alicePk));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED), write(newNote, newWrap));
        assertEquals(0, store.vanish(alicePk, T + 5), "an earlier time does not shrink the vanish window");
        assertEquals(List.of(WriteStatus.VANISHED), write(event(alice, 1, T + 9, "still refused")));
        assertThrows(IllegalArgumentException.class, () -> store.vanish("npub1alice", T));
    }

    @Test
    void nip62VanishMemoryIsDurable() throws Exception {
        Event note = event(alice, 1, T, "note");
        write(note);
        assertEquals(1, store.vanish(alice.publicKey().hex(), T + 1));
        closeAndReopen();
        assertEquals(List.of(WriteStatus.VANISHED), write(note));
    }

    @Test
    void nip86BannedEventIdIsRefusedUntilAllowedAgain() throws Exception {
        Event spam = event(bob, 1, T, "spam");
        write(spam);
        storage.moderation().banEvent(spam.id(), "spam");
        assertTrue(store.get(spam.id()).isEmpty());
        assertEquals(List.of(WriteStatus.DELETED), write(spam));
        storage.moderation().allowEvent(spam.id(), "appeal granted");
        assertEquals(List.of(WriteStatus.STORED), write(spam));
    }
}
