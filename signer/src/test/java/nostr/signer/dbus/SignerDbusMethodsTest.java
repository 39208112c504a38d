package nostr.signer.dbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostr.Signer;

import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip04.Nip04;
import nostr.core.nip44.Nip44;
import nostr.core.testing.NostrTools;
import nostr.core.testing.Repo;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.SignerHarness;

/**
 * Every method of org.nostr.Signer over a private bus with gnome-keyring, called by gdbus (GLib, an
 * independent client) and by dbus-java, with results checked by nostr-tools: signatures (NIP-01),
 * NIP-44 and NIP-04 payloads in both directions, NIP-57 private zap content, the error names of the
 * signer API's error table, and the shipped introspection XML against the exported object.
 */
class SignerDbusMethodsTest {
    /** NIP-19's example nsec and its hex. */
    static final String NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    static final String NSEC_HEX = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";

    @TempDir
    static Path dir;
    static SignerHarness h;
    static String pubkey;
    static String npub;

    @BeforeAll
    static void start() throws Exception {
        h = SignerHarness.start(dir, SignerHarness.Options.keyring()
                .set("auto-approve-kinds", "1, 7, 9734, encrypt, decrypt")
                .set("relays", "['wss://relay.one.example', 'wss://relay.two.example']"));
        pubkey = NostrTools.call("publicKey", "secretKey", NSEC_HEX);
        Gdbus.Result r = h.gdbus.call("StoreKey", Gdbus.str(NSEC), Gdbus.str("main"));
        assertEquals(List.of(true, PublicKey.parse(pubkey).npub()), r.values());
        npub = r.string(1);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void getPublicKeyReturnsTheDefaultIdentitysNpub() {
        assertEquals(List.of(npub), h.gdbus.call("GetPublicKey").values());
        assertEquals(npub, h.client.signer().GetPublicKey());
    }

    @Test
    void signEventWithoutPubkeySignsAsTheSelectedIdentityNip01() {
        String json = "{\"kind\":1,\"created_at\":1706054400,\"tags\":[[\"t\",\"nostr\"]],\"content\":\"Hello, Nostr! \\u00e9\"}";
        String sig = h.gdbus.call("SignEvent", Gdbus.str(json), Gdbus.str(""), Gdbus.str("")).string(0);
        assertEquals(128, sig.length());
        Map<String, Object> event = Map.of("pubkey", pubkey, "created_at", 1706054400L, "kind", 1L,
                "tags", List.of(List.of("t", "nostr")), "content", "Hello, Nostr! é", "sig", sig,
                "id", Hex.encode(nostr.core.event.Canonical.id(pubkey, 1706054400L, 1, List.of(List.of("t", "nostr")),
                        "Hello, Nostr! é")));
        List<Boolean> ok = NostrTools.call("verify", "events", List.of(event));
        assertEquals(List.of(true), ok);
    }

    @Test
    void signEventSelectsIdentityByKeyIdOrNpubAndChecksThePubkey() {
        String json = "{\"kind\":7,\"created_at\":1706054401,\"tags\":[],\"content\":\"+\",\"pubkey\":\"" + pubkey + "\"}";
        String byKeyId = h.client.signer().SignEvent(json, "main", "app");
        String byNpub = h.client.signer().SignEvent(json, npub, "app");
        Event e = new Event(Hex.encode(nostr.core.event.Canonical.id(pubkey, 1706054401L, 7, List.of(), "+")), pubkey,
                1706054401L, 7, List.of(), "+", byKeyId, "{}");
        assertTrue(e.hasValidSignature());
        assertEquals(128, byNpub.length());
        SecretKey other = SecretKey.generate();
        String foreign = "{\"kind\":1,\"content\":\"x\",\"pubkey\":\"" + other.publicKey().hex() + "\"}";
        Gdbus.Result r = h.gdbus.call("SignEvent", Gdbus.str(foreign), Gdbus.str("main"), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.InvalidInput", r.errorName());
        assertTrue(r.errorMessage().contains("is not the selected identity"), r.errorMessage());
    }

    @Test
    void malformedEventJsonIsInvalidInput() {
        Gdbus.Result r = h.gdbus.call("SignEvent", Gdbus.str("{\"kind\":\"one\"}"), Gdbus.str(""), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.InvalidInput", r.errorName());
        assertTrue(r.errorMessage().contains("kind"), r.errorMessage());
        assertThrows(Signer.Error.InvalidInput.class, () -> h.client.signer().SignEvent("not json", "", ""));
        assertThrows(Signer.Error.InvalidInput.class, () -> h.client.signer().SignEvent("{\"content\":\"x\"}", "", ""));
    }

    @Test
    void unknownIdentitySelectorIsInvalidInput() {
        Gdbus.Result r = h.gdbus.call("SignEvent", Gdbus.str("{\"kind\":1}"), Gdbus.str("nobody"), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.InvalidInput", r.errorName());
    }

    @Test
    void nip44EncryptDecryptsWithNostrToolsAndBack() {
        SecretKey peer = SecretKey.generate();
        String plaintext = "hi from the signer ✓ " + "x".repeat(300);
        // Encrypt over D-Bus (peer given as npub) and decrypt with nostr-tools as the peer.
        String payload = h.gdbus.call("NIP44Encrypt", Gdbus.str(plaintext), Gdbus.str(peer.publicKey().npub()), Gdbus.str(""))
                .string(0);
        List<Map<String, Object>> keyedCases = NostrTools.call("nip44", "cases",
                List.of(Map.of("secretKey", peer.toHex(), "pubkey", pubkey, "plaintext", "k", "nonce", "00".repeat(32))));
        Map<String, Object> keyed = keyedCases.getFirst();
        List<Object> decrypted = NostrTools.call("nip44Decrypt", "cases",
                List.of(Map.of("payload", payload, "conversationKey", keyed.get("conversationKey"))));
        assertEquals(List.of(plaintext), decrypted);
        // nostr-tools encrypts to us; the signer decrypts (peer given as hex).
        List<Map<String, Object>> theirs = NostrTools.call("nip44", "cases", List.of(Map.of("secretKey", peer.toHex(),
                "pubkey", pubkey, "plaintext", "reply from nostr-tools", "nonce", "11".repeat(32))));
        String back = h.gdbus.call("NIP44Decrypt", Gdbus.str((String) theirs.getFirst().get("payload")),
                Gdbus.str(peer.publicKey().hex()), Gdbus.str("")).string(0);
        assertEquals("reply from nostr-tools", back);
    }

    @Test
    void nip44B64CarriesRawBytes() {
        SecretKey peer = SecretKey.generate();
        byte[] raw = new byte[256];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) i;
        }
        String payload = h.client.signer().NIP44EncryptB64(Base64.getEncoder().encodeToString(raw), peer.publicKey().hex(), "");
        byte[] ck = Nip44.conversationKey(peer, new PublicKey(pubkey));
        assertArrayEquals(raw, Nip44.decryptBytes(payload, ck));
        String mine = Nip44.encryptBytes(raw, ck);
        assertArrayEquals(raw, Base64.getDecoder().decode(h.gdbus.call("NIP44DecryptB64", Gdbus.str(mine),
                Gdbus.str(peer.publicKey().npub()), Gdbus.str("")).string(0)));
        Gdbus.Result bad = h.gdbus.call("NIP44EncryptB64", Gdbus.str("***"), Gdbus.str(peer.publicKey().hex()), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.InvalidInput", bad.errorName());
    }

    @Test
    void nip04RoundTripsWithNostrTools() {
        SecretKey peer = SecretKey.generate();
        String payload = h.gdbus.call("NIP04Encrypt", Gdbus.str("legacy dm"), Gdbus.str(peer.publicKey().npub()),
                Gdbus.str("main")).string(0);
        assertTrue(payload.contains("?iv="));
        List<Object> plain = NostrTools.call("nip04Decrypt", "secretKey", peer.toHex(), "pubkey", pubkey,
                "payloads", List.of(payload));
        assertEquals(List.of("legacy dm"), plain);
        List<Object> theirs = NostrTools.call("nip04Encrypt", "secretKey", peer.toHex(), "pubkey", pubkey,
                "plaintexts", List.of("answer"));
        assertEquals("answer", h.gdbus.call("NIP04Decrypt", Gdbus.str((String) theirs.getFirst()),
                Gdbus.str(peer.publicKey().hex()), Gdbus.str("")).string(0));
    }

    @Test
    void tamperedCiphertextIsCryptoFailed() {
        SecretKey peer = SecretKey.generate();
        String payload = h.client.signer().NIP44Encrypt("secret", peer.publicKey().hex(), "");
        char[] c = payload.toCharArray();
        c[40] = c[40] == 'A' ? 'B' : 'A';
        Gdbus.Result r = h.gdbus.call("NIP44Decrypt", Gdbus.str(new String(c)), Gdbus.str(peer.publicKey().hex()), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.CryptoFailed", r.errorName());
        Gdbus.Result r4 = h.gdbus.call("NIP04Decrypt", Gdbus.str("AAAA?iv=AAAAAAAAAAAAAAAAAAAAAA=="),
                Gdbus.str(peer.publicKey().hex()), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.CryptoFailed", r4.errorName());
    }

    @Test
    void badPeerPubkeyIsInvalidInput() {
        Gdbus.Result r = h.gdbus.call("NIP44Encrypt", Gdbus.str("x"), Gdbus.str("not-a-key"), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.InvalidInput", r.errorName());
        assertTrue(r.errorMessage().contains("peer_pubkey"), r.errorMessage());
    }

    @Test
    void decryptZapEventTriesNip44ThenNip04Nip57() throws Exception {
        SecretKey sender = SecretKey.generate();
        PublicKey me = new PublicKey(pubkey);
        byte[] ck = Nip44.conversationKey(sender, me);
        Event nip44Request = new EventTemplate(1706054500L, 9734, List.of(List.of("p", pubkey), List.of("amount", "21000")),
                Nip44.encrypt("private zap note", ck)).sign(sender);
        String out = h.gdbus.call("DecryptZapEvent", Gdbus.str(nip44Request.json()), Gdbus.str("")).string(0);
        Map<String, Object> parsed = nostr.core.testing.JsonTree.object(out);
        assertEquals("private zap note", parsed.get("content"));
        assertEquals(nip44Request.id(), parsed.get("id"));

        Event nip04Request = new EventTemplate(1706054501L, 9734, List.of(List.of("p", pubkey)),
                Nip04.encrypt("old style", sender, me)).sign(sender);
        assertEquals("old style", nostr.core.testing.JsonTree.object(
                h.client.signer().DecryptZapEvent(nip04Request.json(), "")).get("content"));

        Event receipt = new EventTemplate(1706054502L, 9735, List.of(List.of("p", pubkey),
                List.of("description", nip44Request.json())), "").sign(SecretKey.generate());
        String decodedReceipt = h.client.signer().DecryptZapEvent(receipt.json(), "");
        Event re = nostr.core.event.Event.parse(decodedReceipt);
        assertEquals("private zap note", nostr.core.testing.JsonTree.object(re.tagValue("description")).get("content"));

        Event garbage = new EventTemplate(1706054503L, 9734, List.of(List.of("p", pubkey)), "not encrypted at all")
                .sign(sender);
        assertEquals("org.nostr.Signer.Error.CryptoFailed",
                h.gdbus.call("DecryptZapEvent", Gdbus.str(garbage.json()), Gdbus.str("")).errorName());
        assertEquals("org.nostr.Signer.Error.InvalidInput",
                h.gdbus.call("DecryptZapEvent", Gdbus.str("{}"), Gdbus.str("")).errorName());
    }

    @Test
    void getRelaysReturnsTheConfiguredRelaysAsJson() {
        String json = h.gdbus.call("GetRelays").string(0);
        assertEquals(List.of("wss://relay.one.example", "wss://relay.two.example"), nostr.core.testing.JsonTree.parse(json));
    }

    @Test
    void storeKeyAcceptsHexAndClearKeyRemovesIt() {
        SecretKey k = SecretKey.generate();
        Gdbus.Result stored = h.gdbus.call("StoreKey", Gdbus.str(k.toHex()), Gdbus.str("second"));
        assertEquals(List.of(true, k.publicKey().npub()), stored.values());
        String sig = h.client.signer().SignEvent("{\"kind\":1,\"content\":\"from second\"}", "second", "");
        assertEquals(128, sig.length());
        assertEquals(List.of(true), h.gdbus.call("ClearKey", Gdbus.str("second")).values());
        assertEquals(List.of(false), h.gdbus.call("ClearKey", Gdbus.str("second")).values());
        SecretKey third = SecretKey.generate();
        Signer.StoredKey<Boolean, String> viaJava = h.client.signer().StoreKey(third.toNsec(), "third");
        assertEquals(true, viaJava.ok);
        assertEquals(third.publicKey().npub(), viaJava.npub);
        assertTrue(h.client.signer().ClearKey(third.publicKey().npub()));
        assertEquals("org.nostr.Signer.Error.InvalidInput",
                h.gdbus.call("SignEvent", Gdbus.str("{\"kind\":1}"), Gdbus.str("second"), Gdbus.str("")).errorName());
        // The default identity is untouched.
        assertEquals(npub, h.client.signer().GetPublicKey());
    }

    @Test
    void storeKeyWithABadKeyIsInvalidKey() {
        Gdbus.Result r = h.gdbus.call("StoreKey", Gdbus.str("nsec1notakey"), Gdbus.str(""));
        assertEquals("org.nostr.Signer.InvalidKey", r.errorName());
        assertThrows(Signer.InvalidKey.class, () -> h.client.signer().StoreKey("abcd", ""));
        assertThrows(Signer.InvalidKey.class, () -> h.client.signer().StoreKey("00".repeat(32), ""));
    }

    @Test
    void secretNeverTravelsInRepliesOrErrors() {
        Gdbus.Result r = h.gdbus.call("StoreKey", Gdbus.str(NSEC), Gdbus.str("main"));
        assertFalse(r.stdout().contains(NSEC_HEX) || r.stdout().contains(NSEC));
        String status = h.client.control().Status();
        assertFalse(status.contains(NSEC_HEX) || status.contains(NSEC));
    }

    @Test
    void approveRequestForAnUnknownIdIsFalse() {
        assertEquals(List.of(false), h.gdbus.call("ApproveRequest", Gdbus.str("nope"), "true", "false", "uint64 0").values());
    }

    @Test
    void introspectionMatchesTheShippedXml() throws Exception {
        Gdbus.Result r = h.gdbus.introspect();
        assertEquals(0, r.exitCode(), r.stderr());
        Path shipped = Repo.root().resolve("signer/data/dbus/org.nostr.Signer.xml");
        Path control = Repo.root().resolve("signer/data/dbus/org.nostr.Signer.Control.xml");
        assertEquals(Introspection.interfaces(java.nio.file.Files.readString(shipped)).get("org.nostr.Signer"),
                Introspection.interfaces(r.stdout()).get("org.nostr.Signer"));
        assertEquals(Introspection.interfaces(java.nio.file.Files.readString(control)).get("org.nostr.Signer.Control"),
                Introspection.interfaces(r.stdout()).get("org.nostr.Signer.Control"));
        Introspection.Iface signer = Introspection.interfaces(java.nio.file.Files.readString(shipped)).get("org.nostr.Signer");
        assertEquals(List.of("s", "s", "s", "s", "s"), signer.signals().get("ApprovalRequested"));
        assertEquals(List.of("in:s", "in:s", "out:b", "out:s"), signer.methods().get("StoreKey"));
        assertEquals(List.of("in:s", "in:b", "in:b", "in:t", "out:b"), signer.methods().get("ApproveRequest"));
    }

    @Test
    void eachReasonTravelsAsTheErrorNameOfTheSeedTable() {
        assertEquals(List.of(
                        "org.nostr.Signer.Error.Internal", "org.nostr.Signer.Error.InvalidInput",
                        "org.nostr.Signer.Error.ApprovalDenied", "org.nostr.Signer.Error.RateLimited",
                        "org.nostr.Signer.Error.PermissionDenied", "org.nostr.Signer.Error.SessionExpired",
                        "org.nostr.Signer.Error.CryptoFailed", "org.nostr.Signer.InvalidKey",
                        "org.nostr.Signer.SecretServiceUnavailable"),
                java.util.Arrays.stream(nostr.signer.ops.SignerException.Reason.values()).map(DBusErrors::name).toList());
    }

    @Test
    void nip44OfAnEmptyPlaintextIsInvalidInput() {
        assertEquals("org.nostr.Signer.Error.InvalidInput", h.gdbus.call("NIP44Encrypt", Gdbus.str(""),
                Gdbus.str(SecretKey.generate().publicKey().hex()), Gdbus.str("")).errorName());
    }
}
