package nostr.relay.admin;

import static nostr.relay.admin.AdminHttp.call;
import static nostr.relay.admin.AdminHttp.entries;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.core.nip98.Nip98;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Node;
import nostr.relay.Relay;
import nostr.relay.config.Operations;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.GroupStore;
import nostr.relay.store.Listed;
import nostr.relay.store.Storage;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NIP-86 (relay management API) with NIP-98 HTTP auth, over real HTTP against a running relay,
 * one subclass per storage adapter: every method of the NIP and its live effect on the relay
 * (WebSocket publishing, REQ, the NIP-11 document), every way the Authorization header can be
 * wrong (401 with the reason), non-admins (403), and bad requests (400, 413, 415), none of which
 * change anything. nostr-tools' NIP-98 {@code getToken} signs some calls as an independent client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Nip86Contract {
    /** Every method of NIP-86 as the NIP lists it (typed here, not taken from the code). */
    static final List<String> NIP86_METHODS = List.of("supportedmethods", "banpubkey", "unbanpubkey",
            "listbannedpubkeys", "allowpubkey", "unallowpubkey", "listallowedpubkeys", "createrole", "editrole",
            "deleterole", "assignrole", "unassignrole", "listeventsneedingmoderation", "allowevent", "banevent",
            "listbannedevents", "changerelayname", "changerelaydescription", "changerelayicon", "allowkind",
            "disallowkind", "listallowedkinds", "blockip", "unblockip", "listblockedips");

    protected Storage storage;
    private RelayConfig config;
    private Relay relay;
    private final SecretKey admin = SecretKey.generate();
    private final SecretKey stranger = SecretKey.generate();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A private (empty) storage of the adapter under test. */
    protected abstract Storage openStorage() throws Exception;

    @BeforeAll
    void start() throws Exception {
        storage = openStorage();
        // A data directory of its own: the relay keeps its identity key there.
        config = RelayConfig.defaults().withPort(0).withDataDir(java.nio.file.Files.createTempDirectory("nip86-relay"))
                .withOperations(Operations.defaults().withAdminPubkeys(Set.of(admin.publicKey().hex())));
        relay = Relay.start(config, storage);
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

    /** Allowlists, allowed kinds and IP blocks apply to every test: lift them after each. */
    @AfterEach
    void liftRelayWideRestrictions() throws Exception {
        var m = storage.moderation();
        for (Listed l : m.allowedPubkeys()) {
            m.unallowPubkey(l.value());
        }
        for (int k : m.allowedKinds()) {
            m.disallowKind(k);
        }
        for (Listed l : m.blockedIps()) {
            m.unblockIp(l.value());
        }
        relay.reloadModeration();
    }

    private String url() {
        return relay.url().replace("ws://", "http://");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private RelayMessage.Ok publish(Event e) {
        try (WsClient c = WsClient.connect(relay.url())) {
            return c.publish(e);
        }
    }

    private List<String> query(Filter f) {
        try (WsClient c = WsClient.connect(relay.url())) {
            return c.query("q", f);
        }
    }

    private String nip11() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url())).header("Accept", "application/nostr+json").build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    // ---- methods -------------------------------------------------------------------------------

    @Test
    void nip86SupportedMethodsListsEveryOtherMethodOfTheNip() throws Exception {
        AdminHttp.Answer a = call(url(), admin, "supportedmethods");
        assertEquals(200, a.status(), a.body().toString());
        List<String> expected = new ArrayList<>(NIP86_METHODS);
        expected.remove("supportedmethods");
        assertEquals(expected.stream().sorted().toList(), ((List<?>) a.result()).stream().map(String.class::cast).sorted().toList());
        assertFalse(a.body().containsKey("error"));
    }

    @Test
    void nip86BanPubkeyRefusesItsNewEventsAtOnceAndUnbanLiftsIt() throws Exception {
        SecretKey spammer = SecretKey.generate();
        String pk = spammer.publicKey().hex();
        assertEquals(Boolean.TRUE, call(url(), admin, "banpubkey", pk, "spam").result());
        RelayMessage.Ok refused = publish(event(spammer, 1, now(), "after the ban"));
        assertFalse(refused.accepted());
        assertTrue(refused.message().startsWith("blocked:") && refused.message().contains("spam"), refused.message());
        assertTrue(entries(call(url(), admin, "listbannedpubkeys")).contains(Map.of("pubkey", pk, "reason", "spam")));

        assertEquals(Boolean.TRUE, call(url(), admin, "unbanpubkey", pk, "appeal accepted").result());
        assertTrue(publish(event(spammer, 1, now(), "after the unban")).accepted());
        assertTrue(entries(call(url(), admin, "listbannedpubkeys")).stream().noneMatch(e -> pk.equals(e.get("pubkey"))));
    }

    @Test
    void nip86AllowPubkeyRestrictsWritesToTheAllowlistAndUnallowOpensThemAgain() throws Exception {
        SecretKey member = SecretKey.generate();
        SecretKey outsider = SecretKey.generate();
        String pk = member.publicKey().hex();
        assertEquals(Boolean.TRUE, call(url(), admin, "allowpubkey", pk).result());
        assertTrue(publish(event(member, 1, now(), "member")).accepted());
        RelayMessage.Ok refused = publish(event(outsider, 1, now(), "outsider"));
        assertFalse(refused.accepted());
        assertTrue(refused.message().startsWith("restricted:"), refused.message());
        assertEquals(List.of(Map.of("pubkey", pk, "reason", "")), entries(call(url(), admin, "listallowedpubkeys")));
        assertTrue(nip11().contains("\"restricted_writes\":true"), nip11());

        assertEquals(Boolean.TRUE, call(url(), admin, "unallowpubkey", pk).result());
        assertTrue(publish(event(outsider, 1, now(), "outsider again")).accepted());
        assertEquals(List.of(), call(url(), admin, "listallowedpubkeys").result());
        assertTrue(nip11().contains("\"restricted_writes\":false"), nip11());
    }

    @Test
    void nip86BanEventDeletesTheStoredEventRefusesItAndAllowEventLiftsTheBan() throws Exception {
        SecretKey author = SecretKey.generate();
        Event e = event(author, 1, now(), "to be banned");
        assertTrue(publish(e).accepted());
        Filter mine = Filter.builder().authors(List.of(author.publicKey().hex())).build();
        assertEquals(List.of(e.id()), query(mine));

        assertEquals(Boolean.TRUE, call(url(), admin, "banevent", e.id(), "illegal").result());
        assertEquals(List.of(), query(mine), "banevent deletes the stored event");
        RelayMessage.Ok again = publish(e);
        assertFalse(again.accepted());
        assertTrue(again.message().startsWith("blocked:"), again.message());
        assertTrue(entries(call(url(), admin, "listbannedevents")).contains(Map.of("id", e.id(), "reason", "illegal")));

        assertEquals(Boolean.TRUE, call(url(), admin, "allowevent", e.id(), "mistake").result());
        assertTrue(entries(call(url(), admin, "listbannedevents")).stream().noneMatch(x -> e.id().equals(x.get("id"))));
        assertTrue(publish(e).accepted());
        assertEquals(List.of(e.id()), query(mine));
    }

    @Test
    void nip86ListEventsNeedingModerationShowsTheQueueAndAllowEventTakesOneOff() throws Exception {
        String reported = event(SecretKey.generate(), 1, now(), "reported").id();
        String other = event(SecretKey.generate(), 1, now(), "other").id();
        storage.admin().flagEvent(reported, "reported by a NIP-56 report");
        storage.admin().flagEvent(other, "");
        List<Map<String, Object>> queue = entries(call(url(), admin, "listeventsneedingmoderation"));
        assertTrue(queue.contains(Map.of("id", reported, "reason", "reported by a NIP-56 report")), queue.toString());
        assertTrue(queue.contains(Map.of("id", other, "reason", "")), queue.toString());
        call(url(), admin, "allowevent", reported);
        queue = entries(call(url(), admin, "listeventsneedingmoderation"));
        assertTrue(queue.stream().noneMatch(x -> reported.equals(x.get("id"))), queue.toString());
        assertTrue(queue.contains(Map.of("id", other, "reason", "")));
        storage.admin().unflagEvent(other);
    }

    @Test
    void nip86ChangeRelayNameDescriptionAndIconChangeTheNip11DocumentAtOnceAndAfterRestart() throws Exception {
        assertEquals(Boolean.TRUE, call(url(), admin, "changerelayname", "renamed \u00e9").result());
        assertEquals(Boolean.TRUE, call(url(), admin, "changerelaydescription", "a \"new\" description").result());
        assertEquals(Boolean.TRUE, call(url(), admin, "changerelayicon", "https://example.com/icon.png").result());
        Map<String, Object> doc = JsonTree.object(nip11());
        assertEquals("renamed \u00e9", doc.get("name"));
        assertEquals("a \"new\" description", doc.get("description"));
        assertEquals("https://example.com/icon.png", doc.get("icon"));

        // Settings live in the store and override the configuration after a restart too.
        relay.close();
        relay = Relay.start(config, storage);
        doc = JsonTree.object(nip11());
        assertEquals("renamed \u00e9", doc.get("name"));
        assertEquals("https://example.com/icon.png", doc.get("icon"));

        assertEquals(Boolean.TRUE, call(url(), admin, "changerelayicon", "").result());
        assertFalse(JsonTree.object(nip11()).containsKey("icon"), "an empty icon clears it");
    }

    @Test
    void nip86AllowKindRestrictsKindsAndDisallowKindRemovesIt() throws Exception {
        SecretKey author = SecretKey.generate();
        assertEquals(Boolean.TRUE, call(url(), admin, "allowkind", 1).result());
        assertEquals(Boolean.TRUE, call(url(), admin, "allowkind", 30023).result());
        assertEquals(List.of(1L, 30023L), call(url(), admin, "listallowedkinds").result());
        assertTrue(publish(event(author, 1, now(), "note")).accepted());
        RelayMessage.Ok reaction = publish(event(author, 7, now(), "+"));
        assertFalse(reaction.accepted());
        assertTrue(reaction.message().startsWith("restricted:") && reaction.message().contains("7"), reaction.message());

        assertEquals(Boolean.TRUE, call(url(), admin, "disallowkind", 30023).result());
        assertEquals(List.of(1L), call(url(), admin, "listallowedkinds").result());
        assertEquals(Boolean.TRUE, call(url(), admin, "disallowkind", 1).result());
        assertEquals(List.of(), call(url(), admin, "listallowedkinds").result());
        assertTrue(publish(event(author, 7, now(), "+")).accepted(), "an empty set allows every kind");
    }

    @Test
    void nip86BlockIpClosesOpenConnectionsRefusesNewOnesAndUnblockIpLetsThemIn() throws Exception {
        try (WsClient open = WsClient.connect(relay.url())) {
            assertEquals(Boolean.TRUE, call(url(), admin, "blockip", "127.0.0.1", "abuse").result());
            assertEquals(1008, open.awaitClose(), "the open connection from that address is closed");
        }
        assertThrows(RuntimeException.class, () -> WsClient.connect(relay.url()), "upgrade refused with 403");
        assertEquals(List.of(Map.of("ip", "127.0.0.1", "reason", "abuse")), entries(call(url(), admin, "listblockedips")));
        // The management API itself stays reachable from a blocked address.
        assertEquals(Boolean.TRUE, call(url(), admin, "unblockip", "127.0.0.1").result());
        try (WsClient again = WsClient.connect(relay.url())) {
            assertTrue(again.publish(event(SecretKey.generate(), 1, now(), "back")).accepted());
        }
        assertEquals(List.of(), call(url(), admin, "listblockedips").result());

        // Spellings of one IPv6 address are one entry.
        call(url(), admin, "blockip", "0:0:0:0:0:0:0:1");
        assertEquals(List.of(Map.of("ip", "::1", "reason", "")), entries(call(url(), admin, "listblockedips")));
        call(url(), admin, "unblockip", "::1");
        assertEquals(List.of(), call(url(), admin, "listblockedips").result());
    }

    @Test
    void nip86RolesAreCreatedEditedAssignedUnassignedAndDeleted() throws Exception {
        String role = "mod-" + System.nanoTime();
        String pk = SecretKey.generate().publicKey().hex();
        assertEquals(Boolean.TRUE, call(url(), admin, "createrole", role, "Moderator", "keeps order", "#ff0000", 2).result());
        AdminHttp.Answer dup = call(url(), admin, "createrole", role, "again", "", "", 0);
        assertEquals(400, dup.status());
        assertTrue(dup.error().contains("exists"), dup.error());
        assertEquals(List.of(new GroupStore.Role(role, "Moderator", "keeps order", "#ff0000", 2)), roles(role));

        // editrole keeps what it is not given (null or left out).
        assertEquals(Boolean.TRUE, call(url(), admin, "editrole", role, "Mod", null, null, 5).result());
        assertEquals(List.of(new GroupStore.Role(role, "Mod", "keeps order", "#ff0000", 5)), roles(role));
        assertEquals(400, call(url(), admin, "editrole", "no-such-role", "x").status());

        assertEquals(Boolean.TRUE, call(url(), admin, "assignrole", pk, role).result());
        assertEquals(List.of(role), memberRoles(pk));
        // NIP-43: the relay announces the new member (kind 8000) and publishes its membership list.
        assertEquals(List.of(List.of("-"), List.of("p", pk)), latestByRelay(8000).tags());
        assertTrue(latestByRelay(13534).tags().contains(List.of("member", pk, role)), latestByRelay(13534).tags().toString());
        AdminHttp.Answer unknownRole = call(url(), admin, "assignrole", pk, "no-such-role");
        assertEquals(400, unknownRole.status());
        assertTrue(unknownRole.error().contains("no-such-role"), unknownRole.error());
        assertEquals(Boolean.TRUE, call(url(), admin, "unassignrole", pk, role).result());
        assertEquals(List.of(), memberRoles(pk));
        assertTrue(latestByRelay(13534).tags().contains(List.of("member", pk)), "a new list, written before the answer");

        assertEquals(Boolean.TRUE, call(url(), admin, "assignrole", pk, role).result());
        assertEquals(Boolean.TRUE, call(url(), admin, "deleterole", role).result());
        assertEquals(List.of(), roles(role));
        assertEquals(List.of(), memberRoles(pk), "deleterole also unassigns");
    }

    /** The newest event of {@code kind} signed by the relay's own key (NIP-11 self). */
    private Event latestByRelay(int kind) {
        try {
            String self = (String) JsonTree.object(nip11()).get("self");
            try (WsClient c = WsClient.connect(relay.url())) {
                c.query("r", Filter.builder().authors(List.of(self)).kinds(List.of(kind)).limit(1).build());
                List<String> raw = c.rawEvents("r");
                assertEquals(1, raw.size(), "one kind " + kind + " event by the relay");
                String frame = raw.getFirst();
                return Event.parse(frame.substring(frame.indexOf(',', frame.indexOf(',') + 1) + 1, frame.length() - 1));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<GroupStore.Role> roles(String id) throws Exception {
        return storage.groups().roles(GroupStore.RELAY).stream().filter(r -> r.id().equals(id)).toList();
    }

    private List<String> memberRoles(String pk) throws Exception {
        return storage.groups().members(GroupStore.RELAY).stream().filter(m -> m.pubkey().equals(pk))
                .flatMap(m -> m.roles().stream()).toList();
    }

    // ---- NIP-98 authorization failures: 401 with the reason, nothing changed -------------------

    /** Posts a banpubkey of a fresh key with {@code authorization}; asserts 401 naming the reason and no ban. */
    private void assertUnauthorized(String authorization, byte[] body, String victim, String reasonPart) throws Exception {
        AdminHttp.Answer a = AdminHttp.post(url(), ManagementEndpoint.CONTENT_TYPE, authorization, body);
        assertEquals(401, a.status(), a.body().toString());
        assertTrue(a.error().startsWith("unauthorized: ") && a.error().contains(reasonPart), a.error());
        assertEquals("Nostr", a.authenticate());
        assertTrue(a.body().containsKey("result") && a.result() == null);
        assertTrue(storage.moderation().bannedPubkeys().stream().noneMatch(l -> l.value().equals(victim)), "nothing banned");
    }

    private byte[] banBody(String victim) {
        return AdminHttp.body("banpubkey", victim);
    }

    private static String header(Event authEvent) {
        return Nip98.header(authEvent);
    }

    private static List<List<String>> nip98Tags(String u, String method, byte[] body) {
        return Nip98.template(u, method, body).tags();
    }

    @Test
    void nip98MissingAuthorizationHeaderIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        assertUnauthorized(null, banBody(victim), victim, "missing Authorization header");
    }

    @Test
    void nip98AuthorizationNotBase64Is401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        assertUnauthorized("Nostr !!!not-base64***", banBody(victim), victim, "not valid base64");
        assertUnauthorized("Bearer abc", banBody(victim), victim, "Nostr scheme");
        assertUnauthorized("Nostr " + Base64.getEncoder().encodeToString("{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8)),
                banBody(victim), victim, "not a valid event");
    }

    @Test
    void nip98WrongKindIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        byte[] body = banBody(victim);
        Event e = new EventTemplate(now(), 27236, nip98Tags(url(), "POST", body), "").sign(admin);
        assertUnauthorized(header(e), body, victim, "kind 27235");
    }

    @Test
    void nip98WrongUrlIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        byte[] body = banBody(victim);
        String otherPort = "http://127.0.0.1:" + (relay.port() == 1 ? 2 : 1) + "/";
        assertUnauthorized(AdminHttp.auth(admin, otherPort, body), body, victim, "u tag");
        assertUnauthorized(AdminHttp.auth(admin, url() + "other", body), body, victim, "u tag");
        assertUnauthorized(AdminHttp.auth(admin, "https://relay.example.com/", body), body, victim, "u tag");
    }

    @Test
    void nip98WrongMethodIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        byte[] body = banBody(victim);
        Event e = new EventTemplate(now(), Nip98.KIND, nip98Tags(url(), "GET", body), "").sign(admin);
        assertUnauthorized(header(e), body, victim, "method");
    }

    @Test
    void nip98StaleOrFutureCreatedAtIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        byte[] body = banBody(victim);
        Event old = new EventTemplate(now() - 120, Nip98.KIND, nip98Tags(url(), "POST", body), "").sign(admin);
        assertUnauthorized(header(old), body, victim, "created_at");
        Event future = new EventTemplate(now() + 120, Nip98.KIND, nip98Tags(url(), "POST", body), "").sign(admin);
        assertUnauthorized(header(future), body, victim, "created_at");
    }

    @Test
    void nip98PayloadHashMismatchOrMissingIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        byte[] body = banBody(victim);
        // Signed for another body (unban of the same key): the hash does not match.
        String forOther = AdminHttp.auth(admin, url(), AdminHttp.body("unbanpubkey", victim));
        assertUnauthorized(forOther, body, victim, "payload");
        // NIP-86 requires the payload tag.
        Event noPayload = new EventTemplate(now(), Nip98.KIND, nip98Tags(url(), "POST", null), "").sign(admin);
        assertUnauthorized(header(noPayload), body, victim, "payload");
    }

    @Test
    void nip98BadSignatureOrIdIs401() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        byte[] body = banBody(victim);
        Event good = new EventTemplate(now(), Nip98.KIND, nip98Tags(url(), "POST", body), "").sign(admin);
        Event other = new EventTemplate(now(), Nip98.KIND, nip98Tags(url(), "POST", body), "x").sign(admin);
        String forgedSig = good.json().replace(good.sig(), other.sig());
        assertUnauthorized("Nostr " + Base64.getEncoder().encodeToString(forgedSig.getBytes(StandardCharsets.UTF_8)),
                body, victim, "signature");
        // The same signature over changed content: the id no longer matches.
        String forgedContent = good.json().replace("\"content\":\"\"", "\"content\":\"changed\"");
        assertUnauthorized("Nostr " + Base64.getEncoder().encodeToString(forgedContent.getBytes(StandardCharsets.UTF_8)),
                body, victim, "id");
    }

    @Test
    void nip86NonAdminPubkeyIs403AndChangesNothing() throws Exception {
        String victim = SecretKey.generate().publicKey().hex();
        AdminHttp.Answer a = call(url(), stranger, "banpubkey", victim);
        assertEquals(403, a.status());
        assertTrue(a.error().startsWith("forbidden: ") && a.error().contains(stranger.publicKey().hex()), a.error());
        assertTrue(storage.moderation().bannedPubkeys().stream().noneMatch(l -> l.value().equals(victim)));
        assertEquals(403, call(url(), stranger, "listbannedpubkeys").status(), "reads are admin-only too");
    }

    @Test
    void nip98RelayUrlFormsWithoutSlashAndWebSocketSchemeAreAccepted() throws Exception {
        for (String u : List.of(url(), url().substring(0, url().length() - 1), relay.url(),
                relay.url().substring(0, relay.url().length() - 1))) {
            byte[] body = AdminHttp.body("listallowedkinds");
            AdminHttp.Answer a = AdminHttp.post(url(), ManagementEndpoint.CONTENT_TYPE, AdminHttp.auth(admin, u, body), body);
            assertEquals(200, a.status(), u + ": " + a.body());
        }
    }

    @Test
    void nip98UTagMustNameTheConfiguredRelayUrlBehindAProxy() throws Exception {
        // A second relay on the same store, published as wss://relay.example.com/ (relay_url).
        try (Relay proxied = Relay.start(config.withRelayUrl("wss://relay.example.com/"), storage)) {
            String posted = proxied.url().replace("ws://", "http://");
            byte[] body = AdminHttp.body("listallowedkinds");
            AdminHttp.Answer ok = AdminHttp.post(posted, ManagementEndpoint.CONTENT_TYPE,
                    AdminHttp.auth(admin, "https://relay.example.com/", body), body);
            assertEquals(200, ok.status(), ok.body().toString());
            AdminHttp.Answer local = AdminHttp.post(posted, ManagementEndpoint.CONTENT_TYPE, AdminHttp.auth(admin, posted, body), body);
            assertEquals(401, local.status(), "the bound address is not the relay's public URL");
            assertTrue(local.error().contains("u tag"), local.error());
        }
    }

    // ---- bad requests: 400 (and 413, 415) with the reason, nothing changed ---------------------

    @Test
    void nip86UnknownMethodIs400() throws Exception {
        AdminHttp.Answer a = call(url(), admin, "deleteeverything");
        assertEquals(400, a.status());
        assertTrue(a.error().contains("unknown method 'deleteeverything'"), a.error());
        assertTrue(a.body().containsKey("result") && a.result() == null);
    }

    @Test
    void nip86BadParamsAre400NamingTheParam() throws Exception {
        String pk = SecretKey.generate().publicKey().hex();
        assertBadParam(call(url(), admin, "banpubkey", "not-a-key"), "params[0] (pubkey)");
        assertBadParam(call(url(), admin, "banpubkey"), "pubkey is missing");
        assertBadParam(call(url(), admin, "banpubkey", pk, "reason", "extra"), "at most 2");
        assertBadParam(call(url(), admin, "banpubkey", 42), "must be a string");
        assertBadParam(call(url(), admin, "allowkind", "1"), "must be an integer");
        assertBadParam(call(url(), admin, "allowkind", 70000), "0..65535");
        assertBadParam(call(url(), admin, "allowkind", 1.5), "must be an integer");
        assertBadParam(call(url(), admin, "banevent", "zz".repeat(32)), "64 hex");
        assertBadParam(call(url(), admin, "blockip", "relay.example.com"), "IPv4 or IPv6");
        assertBadParam(call(url(), admin, "changerelayname", " "), "blank");
        assertBadParam(call(url(), admin, "changerelayicon", "javascript:alert(1)"), "http(s) URL");
        assertBadParam(call(url(), admin, "banpubkey", pk, "nul\u0000reason"), "NUL");
        assertBadParam(call(url(), admin, "createrole", "r", "l", "d", "c", "first"), "must be an integer");
        assertTrue(storage.moderation().bannedPubkeys().stream().noneMatch(l -> l.value().equals(pk)));
        assertEquals(List.of(), storage.moderation().allowedKinds());
        // Uppercase hex is accepted and stored lowercase.
        assertEquals(Boolean.TRUE, call(url(), admin, "banpubkey", pk.toUpperCase(java.util.Locale.ROOT)).result());
        assertTrue(storage.moderation().bannedPubkeys().stream().anyMatch(l -> l.value().equals(pk)));
        call(url(), admin, "unbanpubkey", pk);
    }

    private static void assertBadParam(AdminHttp.Answer a, String part) {
        assertEquals(400, a.status(), a.body().toString());
        assertTrue(a.error().contains(part), a.error());
    }

    @Test
    void nip86MalformedBodiesAre400AndWrongContentTypeIs415AndHugeBodiesAre413() throws Exception {
        for (String bad : List.of("not json", "[\"banpubkey\"]", "{\"params\":[]}", "{\"method\":7}",
                "{\"method\":\"supportedmethods\",\"params\":{}}", "{\"method\":\"supportedmethods\"} trailing")) {
            byte[] body = bad.getBytes(StandardCharsets.UTF_8);
            AdminHttp.Answer a = AdminHttp.post(url(), ManagementEndpoint.CONTENT_TYPE, AdminHttp.auth(admin, url(), body), body);
            assertEquals(400, a.status(), bad + " -> " + a.body());
            assertTrue(a.error().startsWith("invalid: "), a.error());
        }
        byte[] body = AdminHttp.body("supportedmethods");
        AdminHttp.Answer json = AdminHttp.post(url(), "application/json", AdminHttp.auth(admin, url(), body), body);
        assertEquals(415, json.status());
        assertTrue(json.error().contains(ManagementEndpoint.CONTENT_TYPE), json.error());
        AdminHttp.Answer charset = AdminHttp.post(url(), ManagementEndpoint.CONTENT_TYPE + "; charset=utf-8",
                AdminHttp.auth(admin, url(), body), body);
        assertEquals(200, charset.status(), "media type parameters are fine");

        byte[] huge = AdminHttp.body("banpubkey", SecretKey.generate().publicKey().hex(), "x".repeat(70_000));
        AdminHttp.Answer big = AdminHttp.post(url(), ManagementEndpoint.CONTENT_TYPE, AdminHttp.auth(admin, url(), huge), huge);
        assertEquals(413, big.status());
    }

    @Test
    void nip86RequestsAreCountedInMetrics() throws Exception {
        call(url(), admin, "listbannedevents");
        call(url(), stranger, "listbannedevents");
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("parrhesia_admin_requests_total{method=\"listbannedevents\",status=\"200\"}"), metrics);
        // Refused callers' bodies are not read: their method is "unknown".
        assertTrue(metrics.contains("parrhesia_admin_requests_total{method=\"unknown\",status=\"403\"}"), metrics);
    }

    // ---- an independent client: nostr-tools' NIP-98 getToken ------------------------------------

    @Test
    void nip98NostrToolsGetTokenAuthorizesAdminCallsAndNonAdminsGet403() throws Exception {
        String pk = SecretKey.generate().publicKey().hex();
        Map<String, Object> ban = JsonTree.object(Node.lines("nip86-nostr-tools.mjs", null, url(), admin.toHex(),
                "banpubkey", JsonTree.write(List.of(pk, "via nostr-tools"))).getFirst());
        assertEquals(200L, ban.get("status"), ban.toString());
        assertEquals(Boolean.TRUE, JsonTree.at(ban, "body", "result"));
        assertTrue(storage.moderation().bannedPubkeys().contains(new Listed(pk, "via nostr-tools")));

        Map<String, Object> list = JsonTree.object(Node.lines("nip86-nostr-tools.mjs", null, url(), admin.toHex(),
                "listbannedpubkeys", "[]").getFirst());
        assertTrue(((List<?>) JsonTree.at(list, "body", "result")).contains(Map.of("pubkey", pk, "reason", "via nostr-tools")));

        Map<String, Object> denied = JsonTree.object(Node.lines("nip86-nostr-tools.mjs", null, url(), stranger.toHex(),
                "unbanpubkey", JsonTree.write(List.of(pk))).getFirst());
        assertEquals(403L, denied.get("status"));
        assertTrue(storage.moderation().bannedPubkeys().contains(new Listed(pk, "via nostr-tools")));
        call(url(), admin, "unbanpubkey", pk);
    }
}
