package nostr.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.nip42.Nip42;
import org.junit.jupiter.api.Test;

/**
 * The client protocol state machine driven frame by frame, without a socket: NIP-01 "From relay
 * to client" (OK, EVENT, EOSE, CLOSED, NOTICE), NIP-42 "Protocol flow" with the auth-required
 * retries, NIP-45 COUNT, and what survives a reconnect.
 */
class RelaySessionTest {
    private static final String URL = "ws://relay.test";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SecretKey author = SecretKey.generate();
    private final SecretKey user = SecretKey.generate();
    private final List<String> sent = new CopyOnWriteArrayList<>();

    private RelaySession connected(ClientOptions options) {
        RelaySession s = new RelaySession(URL, options);
        s.connected(sent::add);
        return s;
    }

    private RelaySession connected() {
        return connected(ClientOptions.defaults());
    }

    private RelaySession withSigner() {
        return connected(ClientOptions.defaults().withSigner(EventSigner.of(user)));
    }

    private Event event(String content) {
        return EventTemplate.of(1, content, List.of()).sign(author);
    }

    private static String ok(String id, boolean accepted, String message) {
        return "[\"OK\"," + Json.quote(id) + "," + accepted + "," + Json.quote(message) + "]";
    }

    private static String eventFrame(String sub, Event e) {
        return "[\"EVENT\"," + Json.quote(sub) + "," + e.json() + "]";
    }

    private static String closed(String sub, String reason) {
        return "[\"CLOSED\"," + Json.quote(sub) + "," + Json.quote(reason) + "]";
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private long framesStartingWith(String prefix) {
        return sent.stream().filter(s -> s.startsWith(prefix)).count();
    }

    private Event lastAuthEvent() throws Exception {
        String frame = sent.stream().filter(s -> s.startsWith("[\"AUTH\"")).reduce((a, b) -> b).orElseThrow();
        return ((ClientMessage.Auth) ClientMessage.parse(frame)).event();
    }

    // ---- NIP-01 ------------------------------------------------------------------------------

    @Test
    void nip01PublishSendsEventAndCompletesWithTheOk() throws Exception {
        RelaySession s = connected();
        Event e = event("hello");
        CompletableFuture<PublishResult> f = s.publish(e);
        assertEquals(List.of("[\"EVENT\"," + e.json() + "]"), sent);
        assertFalse(f.isDone());
        s.receive(ok(e.id(), true, ""));
        PublishResult r = get(f);
        assertEquals(new PublishResult(URL, e.id(), true, ""), r);
        assertEquals("", r.prefix());
    }

    @Test
    void nip01RefusalCarriesTheMachinePrefix() throws Exception {
        RelaySession s = connected();
        Event e = event("spam");
        CompletableFuture<PublishResult> f = s.publish(e);
        s.receive(ok(e.id(), false, "blocked: you are banned"));
        PublishResult r = get(f);
        assertFalse(r.accepted());
        assertEquals("blocked", r.prefix());
        assertEquals("blocked: you are banned", r.message());
    }

    @Test
    void nip01PublishWithoutOkTimesOutNamingTheRelayAndEvent() {
        RelaySession s = connected(ClientOptions.defaults().withRequestTimeout(Duration.ofMillis(100)));
        Event e = event("nobody answers");
        ExecutionException ex = assertThrows(ExecutionException.class, () -> get(s.publish(e)));
        RelayException r = assertInstanceOf(RelayException.class, ex.getCause());
        assertEquals(RelayException.Kind.TIMEOUT, r.kind());
        assertEquals(URL + ": no OK for event " + e.id() + " within 100 ms", r.getMessage());
    }

    @Test
    void nip01SubscriptionDeliversStoredEventsEoseOnceThenLiveEvents() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        Filter f = Filter.builder().kinds(1).limit(10).build();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(f), rec);
        assertEquals(List.of(new ClientMessage.Req(sub.id, List.of(f)).toJson()), sent);
        s.receive(eventFrame(sub.id, event("stored")));
        s.receive("[\"EOSE\"," + Json.quote(sub.id) + "]");
        s.receive("[\"EOSE\"," + Json.quote(sub.id) + "]");
        s.receive(eventFrame(sub.id, event("live")));
        assertEquals(List.of("event stored", "eose", "event live"), rec.drain());
    }

    @Test
    void nip01ReceivedEventTextIsKeptExactly() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(Filter.builder().build()), rec);
        Event e = event("spacing");
        // Same event, other field order and spacing: delivered as the relay wrote it.
        String spaced = "{ \"sig\": \"" + e.sig() + "\", \"id\": \"" + e.id() + "\", \"pubkey\": \"" + e.pubkey()
                + "\", \"created_at\": " + e.createdAt() + ", \"kind\": 1, \"tags\": [], \"content\": \"spacing\" }";
        s.receive("[\"EVENT\"," + Json.quote(sub.id) + "," + spaced + "]");
        assertEquals(spaced, rec.events.getFirst().json());
    }

    @Test
    void nip01EventsWithBadSignatureAreDroppedUnlessVerificationIsOff() throws Exception {
        Event good = event("genuine");
        String forged = good.json().replace("\"genuine\"", "\"forged\"");
        RelaySession s = connected();
        Recorder rec = new Recorder();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(Filter.builder().build()), rec);
        s.receive("[\"EVENT\"," + Json.quote(sub.id) + "," + forged + "]");
        s.receive(eventFrame(sub.id, good));
        assertEquals(List.of("event genuine"), rec.drain());

        RelaySession trusting = connected(ClientOptions.defaults().withVerifyEvents(false));
        Recorder rec2 = new Recorder();
        RelaySession.ActiveSubscription sub2 = trusting.subscribe(List.of(Filter.builder().build()), rec2);
        trusting.receive("[\"EVENT\"," + Json.quote(sub2.id) + "," + forged + "]");
        assertEquals(List.of("event forged"), rec2.drain());
    }

    @Test
    void nip01DuplicateEventsInOneSubscriptionAreDeliveredOnce() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(Filter.builder().build()), rec);
        Event e = event("once");
        s.receive(eventFrame(sub.id, e));
        s.receive(eventFrame(sub.id, e));
        assertEquals(List.of("event once"), rec.drain());
    }

    @Test
    void nip01ClosedEndsTheSubscriptionWithTheRelaysReason() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(Filter.builder().build()), rec);
        s.receive(closed(sub.id, "restricted: members only"));
        s.receive(eventFrame(sub.id, event("too late")));
        assertEquals(List.of("closed " + URL + " restricted: members only"), rec.drain());
    }

    @Test
    void nip01UnsubscribeSendsCloseAndStopsDelivery() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(Filter.builder().build()), rec);
        assertTrue(s.unsubscribe(sub.id));
        assertFalse(s.unsubscribe(sub.id));
        assertEquals("[\"CLOSE\"," + Json.quote(sub.id) + "]", sent.getLast());
        assertEquals(1, framesStartingWith("[\"CLOSE\""));
        s.receive(eventFrame(sub.id, event("after close")));
        assertEquals(List.of(), rec.drain());
    }

    @Test
    void nip01NoticeGoesToTheNoticeListener() {
        List<String> notices = new CopyOnWriteArrayList<>();
        RelaySession s = connected(ClientOptions.defaults().withNoticeListener((u, m) -> notices.add(u + " " + m)));
        s.receive("[\"NOTICE\",\"slow down\"]");
        s.receive("not json at all");
        assertEquals(List.of(URL + " slow down"), notices);
    }

    @Test
    void nip01SubscriptionNeedsAFilter() {
        RelaySession s = connected();
        assertThrows(IllegalArgumentException.class, () -> s.subscribe(List.of(), new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> s.count(List.of()));
    }

    // ---- NIP-45 ------------------------------------------------------------------------------

    @Test
    void nip45CountReturnsCountApproximateFlagAndHll() throws Exception {
        RelaySession s = connected();
        Filter f = Filter.builder().kinds(7).tag('e', "a".repeat(64)).build();
        CompletableFuture<CountResult> c = s.count(List.of(f));
        ClientMessage.Count sentCount = (ClientMessage.Count) ClientMessage.parse(sent.getLast());
        assertEquals(List.of(f), sentCount.filters());
        String hll = "0".repeat(512);
        s.receive("[\"COUNT\"," + Json.quote(sentCount.subscriptionId()) + ",{\"count\":42,\"approximate\":true,\"hll\":\""
                + hll + "\"}]");
        assertEquals(new CountResult(URL, 42, true, hll), get(c));

        CompletableFuture<CountResult> plain = s.count(List.of(f));
        String id = ((ClientMessage.Count) ClientMessage.parse(sent.getLast())).subscriptionId();
        s.receive("[\"COUNT\"," + Json.quote(id) + ",{\"count\":3}]");
        assertEquals(new CountResult(URL, 3, false, null), get(plain));
    }

    @Test
    void nip45CountClosedByTheRelayFailsAsRefusedWithItsReason() throws Exception {
        RelaySession s = connected();
        CompletableFuture<CountResult> c = s.count(List.of(Filter.builder().kinds(1).build()));
        String id = ((ClientMessage.Count) ClientMessage.parse(sent.getLast())).subscriptionId();
        s.receive(closed(id, "unsupported: COUNT is off"));
        RelayException e = assertInstanceOf(RelayException.class,
                assertThrows(ExecutionException.class, () -> get(c)).getCause());
        assertEquals(RelayException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().endsWith("unsupported: COUNT is off"), e.getMessage());
    }

    // ---- NIP-42 ------------------------------------------------------------------------------

    @Test
    void nip42ChallengeIsAnsweredWithASignedAuthEventForThisRelay() throws Exception {
        RelaySession s = withSigner();
        s.receive("[\"AUTH\",\"challenge-123\"]");
        Event auth = lastAuthEvent();
        assertEquals(user.publicKey().hex(), auth.pubkey());
        Nip42.verify(auth, "challenge-123", URL, Instant.now().getEpochSecond(), 60);
        assertFalse(s.isAuthenticated());
        s.receive(ok(auth.id(), true, ""));
        assertTrue(s.isAuthenticated());
    }

    @Test
    void nip42WithoutSignerChallengeIsIgnoredAndAuthRequiredIsFinal() throws Exception {
        RelaySession s = connected();
        s.receive("[\"AUTH\",\"c\"]");
        assertEquals(0, framesStartingWith("[\"AUTH\""));
        Event e = event("needs auth");
        CompletableFuture<PublishResult> f = s.publish(e);
        s.receive(ok(e.id(), false, "auth-required: sign in first"));
        assertEquals("auth-required", get(f).prefix());
    }

    @Test
    void nip42PublishRefusedAuthRequiredIsSentAgainAfterAuth() throws Exception {
        RelaySession s = withSigner();
        Event e = event("members only");
        CompletableFuture<PublishResult> f = s.publish(e);
        s.receive(ok(e.id(), false, "auth-required: sign in first"));
        assertFalse(f.isDone());
        assertEquals(1, framesStartingWith("[\"EVENT\""));
        s.receive("[\"AUTH\",\"c1\"]");
        Event auth = lastAuthEvent();
        s.receive(ok(auth.id(), true, ""));
        assertEquals(2, framesStartingWith("[\"EVENT\""));
        assertEquals("[\"EVENT\"," + e.json() + "]", sent.getLast());
        s.receive(ok(e.id(), true, ""));
        assertTrue(get(f).accepted());
    }

    @Test
    void nip42AuthRequiredAfterAuthAlreadySucceededIsSentAgainAtOnce() throws Exception {
        RelaySession s = withSigner();
        Event e = event("raced the auth");
        CompletableFuture<PublishResult> f = s.publish(e);
        s.receive("[\"AUTH\",\"c1\"]");
        s.receive(ok(lastAuthEvent().id(), true, ""));
        s.receive(ok(e.id(), false, "auth-required: processed before your AUTH"));
        assertEquals(2, framesStartingWith("[\"EVENT\""));
        s.receive(ok(e.id(), true, ""));
        assertTrue(get(f).accepted());
    }

    @Test
    void nip42PublishIsRetriedOnlyOnce() throws Exception {
        RelaySession s = withSigner();
        Event e = event("still refused");
        CompletableFuture<PublishResult> f = s.publish(e);
        s.receive("[\"AUTH\",\"c1\"]");
        s.receive(ok(lastAuthEvent().id(), true, ""));
        s.receive(ok(e.id(), false, "auth-required: first"));
        s.receive(ok(e.id(), false, "auth-required: second"));
        PublishResult r = get(f);
        assertEquals("auth-required: second", r.message());
        assertEquals(2, framesStartingWith("[\"EVENT\""));
    }

    @Test
    void nip42RefusedAuthGivesTheCallerTheOriginalRefusal() throws Exception {
        RelaySession s = withSigner();
        Event e = event("refused");
        CompletableFuture<PublishResult> f = s.publish(e);
        Recorder rec = new Recorder();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(Filter.builder().kinds(4).build()), rec);
        s.receive(ok(e.id(), false, "auth-required: members only"));
        s.receive(closed(sub.id, "auth-required: DMs need auth"));
        s.receive("[\"AUTH\",\"c1\"]");
        s.receive(ok(lastAuthEvent().id(), false, "restricted: not a member"));
        assertEquals("auth-required: members only", get(f).message());
        assertEquals(List.of("closed " + URL + " auth-required: DMs need auth"), rec.drain());
        assertEquals(1, framesStartingWith("[\"EVENT\""));
        assertEquals(1, framesStartingWith("[\"REQ\""));
    }

    @Test
    void nip42AuthRequiredWithoutAChallengeEndsWithTheRefusalAtTimeout() throws Exception {
        RelaySession s = connected(ClientOptions.defaults().withSigner(EventSigner.of(user))
                .withRequestTimeout(Duration.ofMillis(150)));
        Event e = event("no challenge comes");
        CompletableFuture<PublishResult> f = s.publish(e);
        s.receive(ok(e.id(), false, "auth-required: sign in"));
        assertEquals("auth-required: sign in", get(f).message());
    }

    @Test
    void nip42ReqClosedAuthRequiredIsSentAgainOnceAfterAuth() throws Exception {
        RelaySession s = withSigner();
        Recorder rec = new Recorder();
        Filter f = Filter.builder().kinds(4).build();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(f), rec);
        s.receive(closed(sub.id, "auth-required: DMs need auth"));
        s.receive("[\"AUTH\",\"c\"]");
        s.receive(ok(lastAuthEvent().id(), true, ""));
        assertEquals(2, framesStartingWith("[\"REQ\""));
        assertEquals(new ClientMessage.Req(sub.id, List.of(f)).toJson(), sent.getLast());
        s.receive(eventFrame(sub.id, event("dm")));
        s.receive("[\"EOSE\"," + Json.quote(sub.id) + "]");
        assertEquals(List.of("event dm", "eose"), rec.drain());
        s.receive(closed(sub.id, "auth-required: again"));
        assertEquals(List.of("closed " + URL + " auth-required: again"), rec.drain());
        assertEquals(2, framesStartingWith("[\"REQ\""));
    }

    @Test
    void nip42CountClosedAuthRequiredIsSentAgainAfterAuth() throws Exception {
        RelaySession s = withSigner();
        CompletableFuture<CountResult> c = s.count(List.of(Filter.builder().kinds(4).build()));
        String id = ((ClientMessage.Count) ClientMessage.parse(sent.getLast())).subscriptionId();
        s.receive(closed(id, "auth-required: who are you"));
        s.receive("[\"AUTH\",\"c\"]");
        s.receive(ok(lastAuthEvent().id(), true, ""));
        assertEquals(2, framesStartingWith("[\"COUNT\""));
        s.receive("[\"COUNT\"," + Json.quote(id) + ",{\"count\":5}]");
        assertEquals(5, get(c).count());
    }

    // ---- reconnect ---------------------------------------------------------------------------

    @Test
    void reconnectSendsAgainOpenSubscriptionsAndUnansweredRequests() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        Filter f = Filter.builder().kinds(1).limit(5).build();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(f), rec);
        Event e = event("unanswered");
        CompletableFuture<PublishResult> p = s.publish(e);
        CompletableFuture<CountResult> c = s.count(List.of(f));
        s.disconnected();
        Event during = event("while down");
        CompletableFuture<PublishResult> p2 = s.publish(during);
        int before = sent.size();

        List<String> second = new CopyOnWriteArrayList<>();
        s.connected(second::add);
        assertEquals(before, sent.size());
        assertTrue(second.contains(new ClientMessage.Req(sub.id, List.of(f)).toJson()), second.toString());
        assertTrue(second.contains("[\"EVENT\"," + e.json() + "]"));
        assertTrue(second.contains("[\"EVENT\"," + during.json() + "]"));
        assertEquals(1, second.stream().filter(x -> x.startsWith("[\"COUNT\"")).count());
        s.receive(ok(e.id(), true, "duplicate: already have it"));
        s.receive(ok(during.id(), true, ""));
        assertTrue(get(p).accepted());
        assertTrue(get(p2).accepted());
        assertFalse(c.isDone());
    }

    @Test
    void reconnectResumesASubscriptionPastEoseFromBeforeTheDropWithoutLimitOrRepeats() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        Filter f = Filter.builder().kinds(1).limit(5).since(1000).build();
        RelaySession.ActiveSubscription sub = s.subscribe(List.of(f), rec);
        Event old = event("old");
        s.receive(eventFrame(sub.id, old));
        s.receive("[\"EOSE\"," + Json.quote(sub.id) + "]");
        long before = Instant.now().getEpochSecond();
        s.disconnected();
        List<String> second = new CopyOnWriteArrayList<>();
        s.connected(second::add);
        long after = Instant.now().getEpochSecond();

        ClientMessage.Req req = (ClientMessage.Req) ClientMessage.parse(second.getFirst());
        assertEquals(sub.id, req.subscriptionId());
        Filter resumed = req.filters().getFirst();
        assertNull(resumed.limit());
        assertEquals(f.kinds(), resumed.kinds());
        assertTrue(resumed.since() >= before - RelaySession.RESUBSCRIBE_OVERLAP_SECONDS
                && resumed.since() <= after - RelaySession.RESUBSCRIBE_OVERLAP_SECONDS, "since " + resumed.since());

        s.receive(eventFrame(sub.id, old));
        s.receive(eventFrame(sub.id, event("missed")));
        s.receive("[\"EOSE\"," + Json.quote(sub.id) + "]");
        assertEquals(List.of("event old", "eose", "event missed"), rec.drain());
    }

    @Test
    void givingUpFailsPendingRequestsAndTellsSubscriptions() throws Exception {
        RelaySession s = connected();
        Recorder rec = new Recorder();
        s.subscribe(List.of(Filter.builder().build()), rec);
        CompletableFuture<PublishResult> p = s.publish(event("lost"));
        RelayException gone = new RelayException(RelayException.Kind.CONNECTION_LOST, URL + ": gave up");
        s.fail(gone, false);
        assertEquals(gone, assertThrows(ExecutionException.class, () -> get(p)).getCause());
        assertEquals(List.of("failure " + URL + " CONNECTION_LOST"), rec.drain());
        assertEquals(gone, assertThrows(ExecutionException.class, () -> get(s.publish(event("after")))).getCause());
        assertThrows(RelayException.class, () -> s.subscribe(List.of(Filter.builder().build()), rec));
    }
}
