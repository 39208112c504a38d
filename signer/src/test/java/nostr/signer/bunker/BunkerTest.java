package nostr.signer.bunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip04.Nip04;
import nostr.core.nip44.Nip44;
import nostr.signer.approval.AccessPolicy;
import nostr.signer.approval.ApprovalBroker;
import nostr.signer.approval.PolicyStore;
import nostr.signer.config.SignerConfig;
import nostr.signer.files.JsonData;
import nostr.signer.keys.KeyVault;
import nostr.signer.keys.NcryptsecFileKeyStore;
import nostr.signer.ops.KeyOperations;
import nostr.signer.ratelimit.AuthFailureLimiter;
import nostr.signer.testing.Await;
import nostr.signer.testing.MutableClock;

/**
 * NIP-46 remote signing as a plain object (request event in, response events out): connect with
 * single-use bunker:// secrets and the brute-force limiter, nostrconnect:// acceptance, every method,
 * NIP-04 requests answered in NIP-04, method[:kind] permissions, the auth_url challenge, session
 * states with the idle timeout, logout, and persistence of sessions.
 */
class BunkerTest {
    @TempDir
    Path dir;
    MutableClock clock;
    SecretKey user;
    KeyOperations ops;
    ApprovalBroker broker;
    SessionStore sessions;
    SecretRegistry secrets;
    Bunker bunker;
    SecretKey client;

    @BeforeEach
    void setUp() {
        bunker = newBunker(new Bunker.Settings(List.of("ws://127.0.0.1:1/"), Set.of(),
                Set.copyOf(SignerConfig.NIP46_METHODS), "", Duration.ofHours(24)));
        client = SecretKey.generate();
    }

    Bunker newBunker(Bunker.Settings settings) {
        clock = clock == null ? MutableClock.startingNow() : clock;
        NcryptsecFileKeyStore store = new NcryptsecFileKeyStore(dir.resolve("keys"), 4, null, clock);
        store.unlock("pw");
        KeyVault vault = new KeyVault(store, "", Duration.ZERO, clock);
        if (user == null) {
            user = SecretKey.generate();
            vault.store(user, "user", "user");
        }
        ops = new KeyOperations(vault);
        broker = new ApprovalBroker(Duration.ofSeconds(5), 8, clock);
        PolicyStore policy = new PolicyStore(dir.resolve("policy.json"), clock);
        AccessPolicy access = new AccessPolicy(Set.of("1", "6", "7"), Set.of("4"), policy, broker);
        sessions = new SessionStore(dir.resolve("sessions.json"), Duration.ofSeconds(900), clock);
        secrets = new SecretRegistry(dir.resolve("secrets.json"), clock);
        return new Bunker(ops, access, sessions, secrets, new AuthFailureLimiter(5, Duration.ofMinutes(5), clock),
                settings, clock);
    }

    /** A kind 24133 request from {@code from}, NIP-44 (or NIP-04) encrypted to the user. */
    Event request(SecretKey from, boolean nip04, String id, String method, String... params) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("id", id);
        body.put("method", method);
        body.put("params", new ArrayList<Object>(List.of(params)));
        String json = JsonData.write(body);
        String content = nip04 ? Nip04.encrypt(json, from, user.publicKey())
                : Nip44.encrypt(json, Nip44.conversationKey(from, user.publicKey()));
        return new EventTemplate(clock.instant().getEpochSecond(), 24133,
                List.of(List.of("p", user.publicKey().hex())), content).sign(from);
    }

    /** Handles a request and returns the decrypted responses. */
    List<Map<String, Object>> call(SecretKey from, boolean nip04, String id, String method, String... params) {
        List<Bunker.Outgoing> out = new CopyOnWriteArrayList<>();
        bunker.handle(request(from, nip04, id, method, params), "ws://127.0.0.1:1/", out::add);
        return decrypt(from, nip04, out);
    }

    List<Map<String, Object>> decrypt(SecretKey to, boolean nip04, List<Bunker.Outgoing> out) {
        List<Map<String, Object>> replies = new ArrayList<>();
        for (Bunker.Outgoing o : out) {
            Event e = o.event();
            assertTrue(e.isValid());
            assertEquals(24133, e.kind());
            assertEquals(user.publicKey().hex(), e.pubkey());
            assertEquals(to.publicKey().hex(), e.tagValue("p"));
            assertEquals(nip04, e.content().contains("?iv="));
            String plain = nip04 ? Nip04.decrypt(e.content(), to, user.publicKey())
                    : Nip44.decrypt(e.content(), Nip44.conversationKey(to, user.publicKey()));
            replies.add(JsonData.parseObject(plain));
        }
        return replies;
    }

    Map<String, Object> one(SecretKey from, String method, String... params) {
        List<Map<String, Object>> r = call(from, false, "req-" + method, method, params);
        assertEquals(1, r.size());
        assertEquals("req-" + method, r.getFirst().get("id"));
        return r.getFirst();
    }

    String secret(String perms) {
        String uri = bunker.createBunkerUri("", Permissions.parse(perms));
        ConnectionUris.BunkerUri b = ConnectionUris.BunkerUri.parse(uri);
        assertEquals(user.publicKey().hex(), b.signerPubkey());
        assertEquals(List.of("ws://127.0.0.1:1/"), b.relays());
        return b.secret();
    }

    void connect(SecretKey c, String perms) {
        assertEquals("ack", one(c, "connect", user.publicKey().hex(), secret(perms)).get("result"));
    }

    @Test
    void nip46ConnectWithSecretThenGetPublicKeyAndSignEvent() throws Exception {
        connect(client, "");
        assertEquals(user.publicKey().hex(), one(client, "get_public_key").get("result"));
        Map<String, Object> signed = one(client, "sign_event",
                "{\"kind\":1,\"content\":\"remote\",\"tags\":[],\"created_at\":1714078911}");
        Event e = Event.parse((String) signed.get("result"));
        assertTrue(e.isValid());
        assertEquals(user.publicKey().hex(), e.pubkey());
        assertEquals("remote", e.content());
        assertEquals(1714078911L, e.createdAt());
        assertEquals(SessionState.ACTIVE, sessions.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow().state());
    }

    @Test
    void nip46BunkerSecretIsSingleUse() {
        String s = secret("");
        assertEquals("ack", one(client, "connect", user.publicKey().hex(), s).get("result"));
        Map<String, Object> again = one(SecretKey.generate(), "connect", user.publicKey().hex(), s);
        assertNull(again.get("result"));
        assertTrue(((String) again.get("error")).contains("invalid or already used secret"));
    }

    @Test
    void nip46WrongSecretsLockTheClientOutExponentially() {
        for (int i = 0; i < 5; i++) {
            assertEquals("invalid or already used secret", one(client, "connect", "", "guess" + i).get("error"));
        }
        assertEquals("invalid or already used secret; locked out for 1 s", one(client, "connect", "", "guess5").get("error"));
        String good = secret("");
        String refused = (String) one(client, "connect", "", good).get("error");
        assertTrue(refused.startsWith("too many failed connection attempts"), refused);
        clock.advance(Duration.ofMillis(1100));
        assertEquals("invalid or already used secret; locked out for 2 s", one(client, "connect", "", "guess6").get("error"));
        clock.advance(Duration.ofMillis(2100));
        assertEquals("ack", one(client, "connect", "", good).get("result"), "the unused secret still works after the lockout");
    }

    @Test
    void nip46RequestsBeforeConnectAreRefusedButPingAnswers() {
        assertEquals("not connected: send connect first", one(client, "get_public_key").get("error"));
        assertEquals("pong", one(client, "ping").get("result"));
    }

    @Test
    void nip46UnknownMethodGetsAnErrorReply() {
        connect(client, "");
        assertEquals("unknown method: create_account", one(client, "create_account", "bob", "example.com").get("error"));
    }

    @Test
    void methodsOutsideBunkerAllowedMethodsAreRefused() {
        bunker = newBunker(new Bunker.Settings(List.of("ws://127.0.0.1:1/"), Set.of(),
                Set.of("connect", "ping", "get_public_key"), "", Duration.ofHours(24)));
        connect(client, "");
        assertEquals("method nip44_decrypt is not allowed by this signer",
                one(client, "nip44_decrypt", SecretKey.generate().publicKey().hex(), "x").get("error"));
    }

    @Test
    void onlyAllowedPubkeysMayConnect() {
        SecretKey friend = SecretKey.generate();
        bunker = newBunker(new Bunker.Settings(List.of("ws://127.0.0.1:1/"), Set.of(friend.publicKey().hex()),
                Set.copyOf(SignerConfig.NIP46_METHODS), "", Duration.ofHours(24)));
        assertTrue(((String) one(client, "connect", "", secret("")).get("error")).contains("is not allowed"));
        assertEquals("ack", one(friend, "connect", user.publicKey().hex(), "").get("result"),
                "an allowed pubkey connects without a secret or prompt");
    }

    @Test
    void nip04RequestsAreAnsweredInNip04() {
        String s = secret("");
        List<Map<String, Object>> r = call(client, true, "c1", "connect", user.publicKey().hex(), s);
        assertEquals("ack", r.getFirst().get("result"));
        assertEquals(user.publicKey().hex(), call(client, true, "c2", "get_public_key").getFirst().get("result"));
    }

    @Test
    void nip44AndNip04MethodsUseTheUserKeyWithTheThirdParty() {
        connect(client, "nip44_encrypt,nip44_decrypt,nip04_encrypt,nip04_decrypt");
        SecretKey third = SecretKey.generate();
        String c44 = (String) one(client, "nip44_encrypt", third.publicKey().hex(), "to third").get("result");
        assertEquals("to third", Nip44.decrypt(c44, Nip44.conversationKey(third, user.publicKey())));
        String theirs = Nip44.encrypt("from third", Nip44.conversationKey(third, user.publicKey()));
        assertEquals("from third", one(client, "nip44_decrypt", third.publicKey().hex(), theirs).get("result"));
        String c04 = (String) one(client, "nip04_encrypt", third.publicKey().hex(), "legacy").get("result");
        assertEquals("legacy", Nip04.decrypt(c04, third, user.publicKey()));
        assertEquals("old", one(client, "nip04_decrypt", third.publicKey().hex(),
                Nip04.encrypt("old", third, user.publicKey())).get("result"));
    }

    @Test
    void signEventOfAKindWithoutPermissionAsksTheUserWithAnAuthUrlChallenge() throws Exception {
        bunker = newBunker(new Bunker.Settings(List.of("ws://127.0.0.1:1/"), Set.of(),
                Set.copyOf(SignerConfig.NIP46_METHODS), "https://signer.example/approve?id={request_id}",
                Duration.ofHours(24)));
        connect(client, "");
        List<Bunker.Outgoing> out = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> bunker.handle(
                request(client, false, "s1", "sign_event", "{\"kind\":9999,\"content\":\"ask me\"}"), null, out::add),
                r -> Thread.ofVirtual().start(r));
        Await.until("the request waits for approval", Duration.ofSeconds(5), () -> !broker.pending().isEmpty());
        var pending = broker.pending().getFirst();
        assertEquals("nip46:" + client.publicKey().hex(), pending.appId());
        assertEquals("9999", pending.aclKind());
        Await.until("the auth_url challenge is sent", Duration.ofSeconds(5), () -> out.size() == 1);
        Map<String, Object> challenge = decrypt(client, false, out).getFirst();
        assertEquals("s1", challenge.get("id"));
        assertEquals("auth_url", challenge.get("result"));
        assertEquals("https://signer.example/approve?id=" + pending.requestId(), challenge.get("error"));
        assertTrue(broker.answer(pending.requestId(), new ApprovalBroker.Answer(true, false, Duration.ZERO), "terminal"));
        handled.get(10, TimeUnit.SECONDS);
        Map<String, Object> answer = decrypt(client, false, out).get(1);
        assertEquals("s1", answer.get("id"));
        assertTrue(Event.parse((String) answer.get("result")).isValid());
    }

    @Test
    void deniedSignEventIsAnErrorReply() throws Exception {
        connect(client, "");
        List<Bunker.Outgoing> out = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> bunker.handle(
                request(client, false, "d1", "sign_event", "{\"kind\":9998,\"content\":\"no\"}"), null, out::add),
                r -> Thread.ofVirtual().start(r));
        Await.until("the request waits", Duration.ofSeconds(5), () -> !broker.pending().isEmpty());
        broker.answer(broker.pending().getFirst().requestId(), new ApprovalBroker.Answer(false, false, Duration.ZERO), "t");
        handled.get(10, TimeUnit.SECONDS);
        Map<String, Object> r = decrypt(client, false, out).getFirst();
        assertTrue(((String) r.get("error")).contains("denied"), r.toString());
    }

    @Test
    void sessionPermissionCoversItsKindButNotAlwaysConfirmKinds() throws Exception {
        connect(client, "sign_event:9999");
        assertTrue(Event.parse((String) one(client, "sign_event", "{\"kind\":9999,\"content\":\"ok\"}").get("result")).isValid());
        // Kind 4 always needs confirmation; nobody answers within the broker timeout here.
        List<Bunker.Outgoing> out = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> bunker.handle(
                request(client, false, "k4", "sign_event", "{\"kind\":4,\"content\":\"dm\"}"), null, out::add),
                r -> Thread.ofVirtual().start(r));
        Await.until("kind 4 waits for approval", Duration.ofSeconds(5), () -> !broker.pending().isEmpty());
        assertEquals("4", broker.pending().getFirst().aclKind());
        broker.answer(broker.pending().getFirst().requestId(), new ApprovalBroker.Answer(true, false, Duration.ZERO), "t");
        handled.get(10, TimeUnit.SECONDS);
        assertTrue(Event.parse((String) decrypt(client, false, out).getFirst().get("result")).isValid());
    }

    @Test
    void idleSessionExpiresAndReconnectNeedsApproval() throws Exception {
        connect(client, "");
        clock.advance(Duration.ofSeconds(899));
        assertEquals(user.publicKey().hex(), one(client, "get_public_key").get("result"));
        clock.advance(Duration.ofSeconds(900));
        assertEquals("session expired after inactivity: connect again", one(client, "get_public_key").get("error"));
        assertEquals(SessionState.EXPIRED, sessions.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow().state());
        List<Bunker.Outgoing> out = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> bunker.handle(
                request(client, false, "re", "connect", user.publicKey().hex(), "", "sign_event:1",
                        "{\"name\":\"Test Client\"}"), null, out::add), r -> Thread.ofVirtual().start(r));
        Await.until("reconnect waits for approval", Duration.ofSeconds(5), () -> !broker.pending().isEmpty());
        var p = broker.pending().getFirst();
        assertEquals("connect", p.kind());
        assertTrue(p.preview().contains("Test Client"), p.preview());
        assertEquals(SessionState.PENDING, sessions.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow().state());
        broker.answer(p.requestId(), new ApprovalBroker.Answer(true, false, Duration.ZERO), "t");
        handled.get(10, TimeUnit.SECONDS);
        assertEquals("ack", decrypt(client, false, out).getFirst().get("result"));
        ClientSession s = sessions.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow();
        assertEquals(SessionState.ACTIVE, s.state());
        assertEquals("Test Client", s.name());
    }

    @Test
    void logoutAcksThenRevokes() {
        connect(client, "");
        assertEquals("ack", one(client, "logout").get("result"));
        assertEquals(SessionState.REVOKED, sessions.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow().state());
        assertEquals("not connected: send connect first", one(client, "get_public_key").get("error"));
    }

    @Test
    void switchRelaysAnswersTheBunkerRelays() {
        connect(client, "");
        assertEquals("[\"ws://127.0.0.1:1/\"]", one(client, "switch_relays").get("result"));
    }

    @Test
    void sessionsSurviveARestart() {
        connect(client, "sign_event:5");
        SessionStore reloaded = new SessionStore(dir.resolve("sessions.json"), Duration.ofSeconds(900), clock);
        ClientSession s = reloaded.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow();
        assertEquals(SessionState.ACTIVE, s.state());
        assertTrue(s.permissions().allows("sign_event", 5));
        assertFalse(s.permissions().allows("sign_event", 6));
        assertTrue(reloaded.revoke(client.publicKey().hex()));
        assertEquals(SessionState.REVOKED, new SessionStore(dir.resolve("sessions.json"), Duration.ofSeconds(900), clock)
                .get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow().state());
    }

    @Test
    void forgedDuplicateOrForeignEventsGetNoAnswer() {
        connect(client, "");
        Event good = request(client, false, "dup", "ping");
        List<Bunker.Outgoing> out = new ArrayList<>();
        bunker.handle(good, null, out::add);
        bunker.handle(good, null, out::add);
        assertEquals(1, out.size(), "a redelivered request is handled once");
        Event other = request(client, false, "x", "ping");
        Event tampered = new Event(other.id(), other.pubkey(), other.createdAt(), other.kind(), other.tags(),
                other.content(), "11".repeat(64), other.json());
        bunker.handle(tampered, null, out::add);
        Event notForUs = new EventTemplate(1, 24133, List.of(List.of("p", SecretKey.generate().publicKey().hex())), "x")
                .sign(client);
        bunker.handle(notForUs, null, out::add);
        assertEquals(1, out.size());
    }

    @Test
    void nostrconnectUriOpensAnActiveSessionAndAnswersWithItsSecret() throws Exception {
        String uri = "nostrconnect://" + client.publicKey().hex()
                + "?relay=ws%3A%2F%2F127.0.0.1%3A2%2F&secret=0s8j2djs&perms=nip44_encrypt%2Csign_event%3A13&name=My+Client";
        Bunker.Outgoing o = bunker.acceptNostrConnect(uri, "");
        assertEquals(List.of("ws://127.0.0.1:2/"), o.relays());
        Map<String, Object> reply = decrypt(client, false, List.of(o)).getFirst();
        assertEquals("0s8j2djs", reply.get("result"));
        ClientSession s = sessions.get(client.publicKey().hex(), user.publicKey().hex()).orElseThrow();
        assertEquals(SessionState.ACTIVE, s.state());
        assertEquals("My Client", s.name());
        assertTrue(s.permissions().allows("sign_event", 13));
        assertTrue(s.permissions().allows("nip44_encrypt", -1));
        assertTrue(Event.parse((String) one(client, "sign_event", "{\"kind\":13,\"content\":\"seal\"}").get("result")).isValid());
        assertEquals(PublicKey.parse(user.publicKey().npub()).hex(), one(client, "get_public_key").get("result"));
    }
}
