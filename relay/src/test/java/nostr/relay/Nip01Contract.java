package nostr.relay;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.config.Limits;
import nostr.relay.config.Tuning;
import nostr.relay.store.Storage;
import nostr.relay.store.TestEvents;
import nostr.relay.testing.TestPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NIP-01 ("Basic protocol flow") as the relay implements it, checked through a connection
 * driven with frames over a real store; one subclass per storage adapter. Every test uses fresh
 * keys and filters on its own authors, so tests share one store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Nip01Contract {
    /** Small limits so each one is easy to hit. */
    static final Limits LIMITS = new Limits(4096, 3, 3, 50, 20, 64, 10, 100, 60, 365L * 86400, 600, 0, 0);

    protected Storage storage;
    protected TestPipeline relay;
    protected SecretKey alice;
    protected SecretKey bob;
    protected long now;

    /** An empty (or at least private) storage of the adapter under test. */
    protected abstract Storage openStorage() throws Exception;

    @BeforeAll
    void start() throws Exception {
        storage = openStorage();
        relay = new TestPipeline(storage.events(), LIMITS, Tuning.defaults());
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    @BeforeEach
    void freshKeys() {
        alice = SecretKey.generate();
        bob = SecretKey.generate();
        now = System.currentTimeMillis() / 1000;
    }

    private Filter byAuthors(SecretKey... keys) {
        List<String> authors = new ArrayList<>();
        for (SecretKey k : keys) {
            authors.add(k.publicKey().hex());
        }
        return Filter.builder().authors(authors).build();
    }

    // ---- EVENT and OK -------------------------------------------------------------------------

    @Test
    void nip01EventIsAcceptedAndServedExactlyAsReceived() {
        Event signed = event(alice, 1, now, "spacing \u00e9 \"quoted\" \ud83d\ude00", tag("t", "x"));
        // Same event, fields reordered and spaced: the relay must keep these bytes.
        String raw = "{ \"content\" : " + nostr.core.json.Json.quote(signed.content()) + ",\n  \"tags\": [[\"t\", \"x\"]],"
                + " \"kind\": 1, \"created_at\": " + signed.createdAt() + ", \"pubkey\": \"" + signed.pubkey()
                + "\", \"sig\": \"" + signed.sig() + "\", \"id\": \"" + signed.id() + "\" }";
        var c = relay.connect();
        c.send("[\"EVENT\", " + raw + "]");
        RelayMessage.Ok ok = c.log().awaitOk(signed.id());
        assertTrue(ok.accepted(), ok.message());
        assertEquals("", ok.message());

        var reader = relay.connect();
        assertEquals(List.of(signed.id()), reader.query("s", byAuthors(alice)));
        assertEquals(List.of("[\"EVENT\",\"s\"," + raw + "]"), reader.log().rawEvents("s"));
    }

    @Test
    void nip01DuplicateEventIsAnsweredDuplicate() {
        Event e = event(alice, 1, now, "once");
        var c = relay.connect();
        assertTrue(c.publish(e).accepted());
        RelayMessage.Ok again = relay.connect().publish(e);
        assertTrue(again.accepted());
        assertEquals("duplicate", again.prefix(), again.message());
        assertEquals(List.of(e.id()), relay.connect().query("s", byAuthors(alice)));
    }

    @Test
    void nip01WrongIdIsRejectedInvalid() {
        Event e = event(alice, 1, now, "original");
        String forged = e.json().replace("\"original\"", "\"changed\"");
        var c = relay.connect();
        c.send("[\"EVENT\"," + forged + "]");
        RelayMessage.Ok ok = c.log().awaitOk(e.id());
        assertFalse(ok.accepted());
        assertEquals("invalid", ok.prefix());
        assertTrue(ok.message().contains("id"), ok.message());
        assertEquals(List.of(), relay.connect().query("s", byAuthors(alice)));
    }

    @Test
    void nip01BadSignatureIsRejectedInvalid() {
        Event e = event(alice, 1, now, "signed");
        Event other = event(alice, 1, now, "other");
        String forged = e.json().replace(e.sig(), other.sig());
        var c = relay.connect();
        c.send("[\"EVENT\"," + forged + "]");
        RelayMessage.Ok ok = c.log().awaitOk(e.id());
        assertFalse(ok.accepted());
        assertEquals("invalid", ok.prefix());
        assertTrue(ok.message().contains("signature"), ok.message());
        assertEquals(List.of(), relay.connect().query("s", byAuthors(alice)));
    }

    @Test
    void nip01MalformedEventWithKnownIdGetsOkFalseInvalid() {
        Event e = event(alice, 1, now, "x");
        String broken = e.json().replace("\"kind\":1", "\"kind\":\"one\"");
        var c = relay.connect();
        c.send("[\"EVENT\"," + broken + "]");
        RelayMessage.Ok ok = c.log().awaitOk(e.id());
        assertFalse(ok.accepted());
        assertEquals("invalid", ok.prefix());
        assertTrue(ok.message().contains("kind"), ok.message());
    }

    @Test
    void nip01CreatedAtBoundsAreEnforcedAsInvalid() {
        var c = relay.connect();
        RelayMessage.Ok future = c.publish(event(alice, 1, now + 3600, "future"));
        assertFalse(future.accepted());
        assertEquals("invalid", future.prefix());
        assertTrue(future.message().contains("future"), future.message());
        RelayMessage.Ok past = c.publish(event(alice, 1, now - 2 * 365L * 86400, "past"));
        assertFalse(past.accepted());
        assertEquals("invalid", past.prefix());
        assertTrue(past.message().contains("past"), past.message());
        assertTrue(c.publish(event(alice, 1, now + 60, "slightly ahead")).accepted());
    }

    @Test
    void nip11TagAndContentLimitsAreEnforcedAsInvalid() {
        var c = relay.connect();
        String[][] tags = new String[LIMITS.maxEventTags() + 1][];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = tag("t", "v" + i);
        }
        RelayMessage.Ok tooManyTags = c.publish(event(alice, 1, now, "t", tags));
        assertFalse(tooManyTags.accepted());
        assertEquals("invalid", tooManyTags.prefix());
        assertTrue(tooManyTags.message().contains("tags"), tooManyTags.message());

        // max_content_length counts unicode characters: 100 emoji are 200 UTF-16 units but allowed.
        assertTrue(c.publish(event(alice, 1, now, "\ud83d\ude00".repeat(LIMITS.maxContentLength()))).accepted());
        RelayMessage.Ok tooLong = c.publish(event(alice, 1, now, "x".repeat(LIMITS.maxContentLength() + 1)));
        assertFalse(tooLong.accepted());
        assertEquals("invalid", tooLong.prefix());
        assertTrue(tooLong.message().contains("content"), tooLong.message());
    }

    @Test
    void nip11MessageLongerThanMaxMessageLengthGetsNoticeAndConnectionSurvives() {
        var c = relay.connect();
        Event big = event(alice, 1, now, "y".repeat(LIMITS.maxMessageLength()));
        c.send(new ClientMessage.EventMsg(big).toJson());
        assertTrue(c.log().awaitNotice("max_message_length").startsWith("invalid:"));
        assertTrue(c.publish(event(alice, 1, now, "small")).accepted());
    }

    @Test
    void nip42AuthKindSentAsEventIsNeitherStoredNorBroadcast() {
        var listener = relay.connect();
        listener.query("all", Filter.builder().kinds(22242).build());
        Event auth = event(alice, 22242, now, "", tag("relay", "ws://127.0.0.1/"), tag("challenge", "c"));
        RelayMessage.Ok ok = relay.connect().publish(auth);
        assertFalse(ok.accepted());
        assertEquals("invalid", ok.prefix());
        // Barrier: a later event for the same listener arrives, the AUTH event never did.
        listener.req("mine", byAuthors(bob));
        listener.log().awaitEose("mine");
        Event later = event(bob, 1, now, "later");
        assertTrue(relay.connect().publish(later).accepted());
        listener.log().awaitEvent("mine", later.id());
        assertEquals(List.of(), listener.log().eventIds("all"));
        assertEquals(List.of(), relay.connect().query("q", byAuthors(alice)));
    }

    @Test
    void nip01BansAreBlockedAndAllowlistsRestricted() throws Exception {
        var mod = storage.moderation();
        var c = relay.connect();
        Event banned = event(alice, 1, now, "banned author");
        mod.banPubkey(alice.publicKey().hex(), "spam");
        Event bannedEvent = event(bob, 1, now, "banned event");
        mod.banEvent(bannedEvent.id(), "");
        try {
            reloadModeration();
            RelayMessage.Ok byAuthor = c.publish(banned);
            assertFalse(byAuthor.accepted());
            assertEquals("blocked", byAuthor.prefix(), byAuthor.message());
            assertTrue(byAuthor.message().contains("spam"), byAuthor.message());
            RelayMessage.Ok byId = c.publish(bannedEvent);
            assertFalse(byId.accepted());
            assertEquals("blocked", byId.prefix(), byId.message());

            mod.allowKind(7);
            mod.allowPubkey(bob.publicKey().hex(), "member");
            reloadModeration();
            RelayMessage.Ok kind = c.publish(event(bob, 1, now, "kind 1 not allowed"));
            assertEquals("restricted", kind.prefix(), kind.message());
            RelayMessage.Ok stranger = c.publish(event(SecretKey.generate(), 7, now, "+"));
            assertEquals("restricted", stranger.prefix(), stranger.message());
            assertTrue(c.publish(event(bob, 7, now, "+")).accepted());
        } finally {
            mod.unbanPubkey(alice.publicKey().hex());
            mod.allowEvent(bannedEvent.id(), "");
            mod.disallowKind(7);
            mod.unallowPubkey(bob.publicKey().hex());
            reloadModeration();
        }
        assertTrue(c.publish(event(alice, 1, now, "unbanned")).accepted());
        assertEquals(List.of(), relay.connect().query("s", Filter.builder().ids(banned.id(), bannedEvent.id()).build()));
    }

    private void reloadModeration() throws Exception {
        relay.moderation.set(nostr.relay.policy.ModerationLists.load(storage.moderation()));
    }

    // ---- kinds -------------------------------------------------------------------------------

    @Test
    void nip01ReplaceableKeepsOnlyTheNewestAndAnswersOlderWithoutServingIt() {
        var c = relay.connect();
        Event v2 = event(alice, 0, now - 10, "{\"name\":\"v2\"}");
        Event v1 = event(alice, 0, now - 20, "{\"name\":\"v1\"}");
        Event v3 = event(alice, 10002, now - 5, "relays");
        assertTrue(c.publish(v2).accepted());
        RelayMessage.Ok older = c.publish(v1);
        assertTrue(older.accepted(), older.message());
        assertEquals("duplicate", older.prefix(), older.message());
        assertTrue(c.publish(v3).accepted());
        assertEquals(List.of(v3.id(), v2.id()), relay.connect().query("s", byAuthors(alice)));

        Event v4 = event(alice, 0, now - 1, "{\"name\":\"v4\"}");
        assertTrue(c.publish(v4).accepted());
        assertEquals(List.of(v4.id()), relay.connect().query("s", Filter.builder()
                .authors(alice.publicKey().hex()).kinds(0).build()));
    }

    @Test
    void nip01ReplaceableTieOnCreatedAtKeepsTheLowestId() {
        Event a = event(alice, 3, now, "a");
        Event b = event(alice, 3, now, "b");
        Event low = a.id().compareTo(b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        var c = relay.connect();
        assertTrue(c.publish(high).accepted());
        assertTrue(c.publish(low).accepted());
        assertTrue(c.publish(high).accepted());
        assertEquals(List.of(low.id()), relay.connect().query("s", byAuthors(alice)));
    }

    @Test
    void nip01AddressableIsKeyedByDTagAndMissingDMeansEmpty() {
        var c = relay.connect();
        Event aOld = event(alice, 30023, now - 30, "a1", tag("d", "a"));
        Event aNew = event(alice, 30023, now - 20, "a2", tag("d", "a"));
        Event b = event(alice, 30023, now - 25, "b", tag("d", "b"));
        Event noD = event(alice, 30023, now - 40, "no d");
        Event emptyD = event(alice, 30023, now - 10, "empty d", tag("d", ""));
        for (Event e : List.of(aOld, aNew, b, noD)) {
            assertTrue(c.publish(e).accepted());
        }
        RelayMessage.Ok older = c.publish(event(alice, 30023, now - 50, "a0", tag("d", "a")));
        assertTrue(older.accepted());
        assertEquals("duplicate", older.prefix());
        assertTrue(c.publish(emptyD).accepted());
        assertEquals(List.of(emptyD.id(), aNew.id(), b.id()), relay.connect().query("s", byAuthors(alice)));
    }

    @Test
    void nip01EphemeralIsFannedOutButNeverStored() {
        var listener = relay.connect();
        listener.query("eph", byAuthors(alice));
        Event e = event(alice, 20001, now, "ephemeral");
        RelayMessage.Ok ok = relay.connect().publish(e);
        assertTrue(ok.accepted(), ok.message());
        listener.log().awaitEvent("eph", e.id());
        assertEquals(List.of(), relay.connect().query("s", byAuthors(alice)));
    }

    // ---- REQ ---------------------------------------------------------------------------------

    @Test
    void nip01StoredEventsComeNewestFirstWithLowestIdFirstOnTies() {
        var c = relay.connect();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event(i % 2 == 0 ? alice : bob, 1, now - (i / 3), "n" + i));
        }
        for (Event e : events) {
            assertTrue(c.publish(e).accepted());
        }
        assertEquals(TestEvents.nip01Order(events), relay.connect().query("s", byAuthors(alice, bob)));
    }

    @Test
    void nip01FiltersAreOredAndFieldsAnded() {
        var c = relay.connect();
        Event a1 = event(alice, 1, now - 1, "a1", tag("t", "x"));
        Event a7 = event(alice, 7, now - 2, "a7", tag("t", "y"));
        Event b1 = event(bob, 1, now - 3, "b1", tag("t", "y"));
        Event b7 = event(bob, 7, now - 4, "b7", tag("t", "x"));
        for (Event e : List.of(a1, a7, b1, b7)) {
            assertTrue(c.publish(e).accepted());
        }
        String ak = alice.publicKey().hex();
        String bk = bob.publicKey().hex();
        assertEquals(List.of(a1.id()), relay.connect().query("and", Filter.builder().authors(ak).kinds(1).build()));
        assertEquals(List.of(a1.id(), b7.id()),
                relay.connect().query("tag", Filter.builder().authors(ak, bk).tag('t', "x").build()));
        assertEquals(List.of(a1.id(), a7.id(), b7.id()), relay.connect().query("or",
                Filter.builder().authors(ak).build(), Filter.builder().authors(bk).kinds(7).build()));
        assertEquals(List.of(a7.id(), b1.id()), relay.connect().query("time",
                Filter.builder().authors(ak, bk).since(now - 3).until(now - 2).build()));
        assertEquals(List.of(b1.id()), relay.connect().query("ids", Filter.builder().ids(b1.id()).build()));
    }

    @Test
    void nip01LimitAppliesToTheStoredPhaseOnlyAndIsClampedToMaxLimit() {
        var c = relay.connect();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxLimit() + 5; i++) {
            events.add(event(alice, 1, now - i, "e" + i));
        }
        for (Event e : events) {
            assertTrue(c.publish(e).accepted());
        }
        List<String> newest = TestEvents.nip01Order(events);
        var r = relay.connect();
        Filter two = Filter.builder().authors(alice.publicKey().hex()).limit(2).build();
        assertEquals(newest.subList(0, 2), r.query("two", two));
        Filter huge = Filter.builder().authors(alice.publicKey().hex()).limit(1_000_000).build();
        assertEquals(newest.subList(0, LIMITS.maxLimit()), r.query("huge", huge));
        assertEquals(newest.subList(0, LIMITS.defaultLimit()), r.query("none", byAuthors(alice)));
        // Live events are not limited.
        Event live1 = event(alice, 1, now, "live1");
        Event live2 = event(alice, 1, now, "live2");
        assertTrue(c.publish(live1).accepted());
        assertTrue(c.publish(live2).accepted());
        r.log().awaitEvent("two", live2.id());
        assertEquals(List.of(newest.get(0), newest.get(1), live1.id(), live2.id()), r.log().eventIds("two"));
    }

    @Test
    void nip01MaxReqEventsCapsAWholeReq() {
        var c = relay.connect();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxReqEvents() + 10; i++) {
            events.add(event(i % 2 == 0 ? alice : bob, 1, now - i, "e" + i));
        }
        for (Event e : events) {
            assertTrue(c.publish(e).accepted());
        }
        List<String> got = relay.connect().query("s",
                Filter.builder().authors(alice.publicKey().hex()).limit(50).build(),
                Filter.builder().authors(bob.publicKey().hex()).limit(50).build());
        assertEquals(TestEvents.nip01Order(events).subList(0, LIMITS.maxReqEvents()), got);
    }

    @Test
    void nip01LimitZeroGivesEoseAtOnceThenLiveEvents() {
        var c = relay.connect();
        assertTrue(c.publish(event(alice, 1, now - 5, "stored")).accepted());
        var r = relay.connect();
        r.req("z", Filter.builder().authors(alice.publicKey().hex()).limit(0).build());
        // EOSE is sent before onText returns: no query ran.
        assertEquals(1, r.log().count(m -> m instanceof RelayMessage.Eose e && e.subscriptionId().equals("z")));
        assertEquals(List.of(), r.log().eventIds("z"));
        Event live = event(alice, 1, now, "live");
        assertTrue(c.publish(live).accepted());
        r.log().awaitEvent("z", live.id());
    }

    @Test
    void nip01EoseComesExactlyOnceAndLiveEventsAfterIt() {
        var c = relay.connect();
        Event stored = event(alice, 1, now - 5, "stored");
        assertTrue(c.publish(stored).accepted());
        var r = relay.connect();
        assertEquals(List.of(stored.id()), r.query("s", byAuthors(alice)));
        Event live1 = event(alice, 1, now - 100, "live but old created_at");
        Event live2 = event(alice, 1, now, "live2");
        assertTrue(c.publish(live1).accepted());
        assertTrue(c.publish(live2).accepted());
        r.log().awaitEvent("s", live2.id());
        List<RelayMessage> msgs = r.log().parsed();
        assertEquals(1, msgs.stream().filter(m -> m instanceof RelayMessage.Eose).count());
        int eose = indexOf(msgs, m -> m instanceof RelayMessage.Eose);
        int firstLive = indexOf(msgs, m -> m instanceof RelayMessage.EventMsg e && e.event().id().equals(live1.id()));
        assertTrue(eose < firstLive, "EOSE before live events: " + msgs);
        assertEquals(List.of(stored.id(), live1.id(), live2.id()), r.log().eventIds("s"));
    }

    @Test
    void nip01LiveEventsRespectSinceAndUntil() {
        var r = relay.connect();
        r.query("window", Filter.builder().authors(alice.publicKey().hex()).since(now - 10).until(now + 10).build());
        Event tooOld = event(alice, 1, now - 100, "old");
        Event inside = event(alice, 1, now, "inside");
        var c = relay.connect();
        assertTrue(c.publish(tooOld).accepted());
        assertTrue(c.publish(inside).accepted());
        r.log().awaitEvent("window", inside.id());
        assertEquals(List.of(inside.id()), r.log().eventIds("window"));
    }

    @Test
    void nip01ReqWithAnIdInUseReplacesTheOldSubscription() {
        var r = relay.connect();
        r.query("s", Filter.builder().authors(alice.publicKey().hex()).kinds(1).build());
        r.query("s", Filter.builder().authors(alice.publicKey().hex()).kinds(7).build());
        var c = relay.connect();
        Event note = event(alice, 1, now, "note");
        Event reaction = event(alice, 7, now, "+");
        assertTrue(c.publish(note).accepted());
        assertTrue(c.publish(reaction).accepted());
        r.log().awaitEvent("s", reaction.id());
        assertEquals(List.of(reaction.id()), r.log().eventIds("s"));
        assertEquals(1, r.connection().subscriptionCount());
    }

    @Test
    void nip01CloseStopsDelivery() {
        var r = relay.connect();
        r.query("closed", byAuthors(alice));
        r.query("open", byAuthors(alice));
        r.close("closed");
        var c = relay.connect();
        Event e1 = event(alice, 1, now, "1");
        Event e2 = event(alice, 1, now, "2");
        assertTrue(c.publish(e1).accepted());
        r.log().awaitEvent("open", e1.id());
        assertTrue(c.publish(e2).accepted());
        r.log().awaitEvent("open", e2.id());
        assertEquals(List.of(), r.log().eventIds("closed"));
        assertEquals(1, r.connection().subscriptionCount());
    }

    @Test
    void nip01RefusedReqsGetClosedWithAPrefix() {
        var r = relay.connect();
        r.req("x".repeat(LIMITS.maxSubidLength() + 1), byAuthors(alice));
        assertTrue(r.log().awaitClosed("x".repeat(LIMITS.maxSubidLength() + 1)).startsWith("invalid:"));
        r.req("many", byAuthors(alice), byAuthors(bob), byAuthors(alice), byAuthors(bob));
        assertTrue(r.log().awaitClosed("many").startsWith("invalid:"));
        r.send("[\"REQ\",\"bad\",{\"kinds\":\"1\"}]");
        assertTrue(r.log().awaitClosed("bad").startsWith("invalid:"));
        r.send("[\"REQ\",\"search\",{\"search\":\"" + "x".repeat(nostr.relay.query.SearchLimits.MAX_LENGTH + 1) + "\"}]");
        assertTrue(r.log().awaitClosed("search").startsWith("invalid:"));
        for (int i = 0; i < LIMITS.maxSubscriptions(); i++) {
            r.query("sub" + i, byAuthors(alice));
        }
        r.req("one-too-many", byAuthors(alice));
        assertTrue(r.log().awaitClosed("one-too-many").startsWith("rate-limited:"));
        // Replacing an open subscription is not a new one.
        r.query("sub0", byAuthors(bob));
        assertEquals(LIMITS.maxSubscriptions(), r.connection().subscriptionCount());
    }

    @Test
    void nip01UnparseableOrUnknownMessagesGetANoticeAndTheConnectionSurvives() {
        var c = relay.connect();
        for (String bad : List.of("not json", "{}", "[]", "[1]", "[\"HELLO\"]", "[\"EVENT\"]", "[\"EVENT\",{\"kind\":1}]",
                "[\"CLOSE\"]", "[\"REQ\"]", "[\"REQ\",\"\"]", "\"EVENT\"", "[\"EVENT\",{}] trailing")) {
            c.send(bad);
        }
        c.log().await("12 notices", ms -> ms.stream().filter(m -> m instanceof RelayMessage.Notice).count() == 12);
        assertTrue(c.publish(event(alice, 1, now, "still works")).accepted());
        assertFalse(c.connection().isClosed());
    }

    private static int indexOf(List<RelayMessage> msgs, java.util.function.Predicate<RelayMessage> p) {
        for (int i = 0; i < msgs.size(); i++) {
            if (p.test(msgs.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
