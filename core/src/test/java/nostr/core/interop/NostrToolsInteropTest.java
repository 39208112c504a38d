package nostr.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.event.EventTemplate;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip04.Nip04;
import nostr.core.nip13.Pow;
import nostr.core.nip17.PrivateDirectMessage;
import nostr.core.nip19.Nip19;
import nostr.core.nip19.Nip19Entity;
import nostr.core.nip44.Nip44;
import nostr.core.nip49.Nip49;
import nostr.core.nip59.GiftWrap;
import nostr.core.nip59.Rumor;
import nostr.core.nip98.Nip98;
import nostr.core.testing.JsonTree;
import nostr.core.testing.NostrTools;
import org.junit.jupiter.api.Test;

/**
 * Interop with nostr-tools 2.25.2 (npm, interop/nostr-tools-ops.mjs), both directions: NIP-01 event
 * signing and verification, NIP-44 v2 (byte-for-byte payloads), NIP-19, NIP-04, NIP-49, NIP-59,
 * NIP-17, NIP-98 and NIP-13. Each test also shows that the other side rejects a broken input, so
 * agreement is not vacuous.
 */
class NostrToolsInteropTest {
    private final Random rnd = new Random(0x1234);
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();

    private static final String[] TEXTS = {
        "hello", "", "quotes \" and \\ backslashes", "tab\tnewline\ncr\r", "\u0000\u0001\u001f\u007f",
        "\u00e9\u4e2d\u2028\u2029", "\ud83e\udd84\ud83d\ude00 emoji", "</script>", "a".repeat(5000),
    };

    /** Fixed per test instance: TEXTS, then seeded random strings of controls, ASCII, BMP and astral code points. */
    private final List<String> texts = texts(rnd, 64);

    private static List<String> texts(Random rnd, int count) {
        List<String> out = new ArrayList<>(List.of(TEXTS));
        while (out.size() < count) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(60);
            for (int k = 0; k < n; k++) {
                int cp = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(0x20);
                    case 1 -> 0x20 + rnd.nextInt(0x5f);
                    case 2 -> 0xa0 + rnd.nextInt(0xd800 - 0xa0);
                    default -> 0x10000 + rnd.nextInt(0x10000);
                };
                sb.appendCodePoint(cp);
            }
            out.add(sb.toString());
        }
        return out;
    }

    private String text(int i) {
        return texts.get(i);
    }

    @Test
    void nip01EventsSignedByNostrToolsVerifyInCore() throws Exception {
        List<Map<String, Object>> templates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            templates.add(Map.of("kind", rnd.nextInt(40000), "created_at", 1_700_000_000L + i,
                    "tags", List.of(List.of("t", text(i + 3)), List.of("p", bob.publicKey().hex(), text(i))),
                    "content", text(i)));
        }
        List<Map<String, Object>> signed = NostrTools.call("sign", "secretKey", alice.toHex(), "templates", templates);
        assertEquals(30, signed.size());
        for (int i = 0; i < signed.size(); i++) {
            Event e = Event.parse(JsonTree.write(signed.get(i)));
            e.verify();
            assertEquals(alice.publicKey().hex(), e.pubkey());
            assertEquals(text(i), e.content());
            Event sameByCore = new EventTemplate(e.createdAt(), e.kind(), e.tags(), e.content()).sign(alice);
            assertEquals(e.id(), sameByCore.id(), "same id for the same fields");
        }
        Map<String, Object> tampered = new LinkedHashMap<>(signed.get(0));
        tampered.put("content", "changed");
        assertFalse(Event.parse(JsonTree.write(tampered)).isValid());
    }

    @Test
    void nip01EventsSignedByCoreVerifyInNostrTools() {
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Event e = new EventTemplate(1_700_000_000L + i, i * 1000, List.of(List.of("e", Hex.encode(new byte[32]), text(i))),
                    text(i)).sign(alice);
            events.add(NostrTools.event(e));
        }
        Map<String, Object> forged = new LinkedHashMap<>(NostrTools.event(EventTemplate.of(1, "x", List.of()).sign(alice)));
        forged.put("sig", Hex.encode(bob.sign(Hex.decode((String) forged.get("id")))));
        events.add(forged);
        List<Boolean> ok = NostrTools.call("verify", "events", events);
        assertEquals(31, ok.size());
        assertTrue(ok.subList(0, 30).stream().allMatch(b -> b), ok.toString());
        assertFalse(ok.get(30), "nostr-tools rejects a signature by the wrong key");
    }

    @Test
    void nip44PayloadsAreByteForByteEqualAndDecryptBothWays() {
        List<Map<String, Object>> cases = new ArrayList<>();
        List<String> plaintexts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SecretKey me = SecretKey.generate();
            SecretKey peer = SecretKey.generate();
            byte[] nonce = new byte[32];
            rnd.nextBytes(nonce);
            String p = i == 0 ? "x".repeat(70_000) : i == 1 ? "y".repeat(65_535) : text(i).isEmpty() ? "z" : text(i);
            plaintexts.add(p);
            cases.add(Map.of("secretKey", me.toHex(), "pubkey", peer.publicKey().hex(), "nonce", nonce, "plaintext", p));
        }
        List<Map<String, Object>> theirs = NostrTools.call("nip44", "cases", cases);
        List<Map<String, Object>> ours = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i);
            assertFalse(theirs.get(i).containsKey("error"), "case " + i + ": " + theirs.get(i));
            byte[] ck = Nip44.conversationKey(SecretKey.parse((String) c.get("secretKey")), new PublicKey((String) c.get("pubkey")));
            assertEquals(theirs.get(i).get("conversationKey"), Hex.encode(ck));
            String payload = Nip44.encrypt(plaintexts.get(i), ck, (byte[]) c.get("nonce"));
            assertEquals(theirs.get(i).get("payload"), payload, "payload " + i);
            assertEquals(plaintexts.get(i), Nip44.decrypt((String) theirs.get(i).get("payload"), ck));
            ours.add(Map.of("conversationKey", ck, "payload", Nip44.encrypt(plaintexts.get(i), ck)));
        }
        String good = (String) ours.get(5).get("payload");
        ours.add(Map.of("conversationKey", ours.get(5).get("conversationKey"), "payload", good.substring(0, 50) + (good.charAt(50) == 'A' ? 'B' : 'A') + good.substring(51)));
        List<Object> decrypted = NostrTools.call("nip44Decrypt", "cases", ours);
        assertEquals(plaintexts, decrypted.subList(0, plaintexts.size()));
        assertInstanceOf(Map.class, decrypted.get(plaintexts.size()), "nostr-tools refuses a tampered payload");
    }

    @Test
    void nip19EncodingsAreEqualBothWays() {
        List<Map<String, Object>> cases = new ArrayList<>();
        List<Nip19Entity> entities = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String pk = SecretKey.generate().publicKey().hex();
            String id = Hex.encode(randomBytes(32));
            List<String> relays = i % 2 == 0 ? List.of() : List.of("wss://relay" + i + ".example.com", "wss://r.example/" + i);
            SecretKey sk = SecretKey.generate();
            cases.add(Map.of("type", "npub", "pubkey", pk));
            entities.add(new Nip19Entity.Npub(pk));
            cases.add(Map.of("type", "nsec", "secretKey", sk.toHex()));
            entities.add(new Nip19Entity.Nsec(sk.toBytes()));
            cases.add(Map.of("type", "note", "id", id));
            entities.add(new Nip19Entity.Note(id));
            cases.add(Map.of("type", "nprofile", "pubkey", pk, "relays", relays));
            entities.add(new Nip19Entity.Nprofile(pk, relays));
            cases.add(Map.of("type", "nevent", "id", id, "relays", relays, "author", pk, "kind", 30023 + i));
            entities.add(new Nip19Entity.Nevent(id, relays, pk, 30023 + i));
            cases.add(Map.of("type", "naddr", "identifier", "article-" + i + "-\u00e9", "pubkey", pk, "kind", 30023, "relays", relays));
            entities.add(new Nip19Entity.Naddr("article-" + i + "-\u00e9", pk, 30023, relays));
        }
        List<String> theirs = NostrTools.call("nip19Encode", "cases", cases);
        List<String> ours = entities.stream().map(Nip19::encode).toList();
        for (int i = 0; i < theirs.size(); i++) {
            if (entities.get(i) instanceof Nip19Entity.Npub || entities.get(i) instanceof Nip19Entity.Nsec
                    || entities.get(i) instanceof Nip19Entity.Note) {
                assertEquals(theirs.get(i), ours.get(i));
            } else {
                // nostr-tools writes TLV records from the highest type down, we write type 0 first as
                // the NIP's nprofile example does; NIP-19 fixes no order. Same records, byte for byte.
                assertEquals(tlvRecords(theirs.get(i)), tlvRecords(ours.get(i)), theirs.get(i) + " vs " + ours.get(i));
            }
            Nip19Entity decoded = Nip19.decode(theirs.get(i));
            if (decoded instanceof Nip19Entity.Nsec nsec) {
                assertEquals(Hex.encode(((Nip19Entity.Nsec) entities.get(i)).secretKey()), Hex.encode(nsec.secretKey()));
            } else {
                assertEquals(entities.get(i), decoded, theirs.get(i));
            }
        }
        List<String> toDecode = new ArrayList<>(ours);
        toDecode.add(ours.get(0).substring(0, ours.get(0).length() - 1) + "x");
        List<Map<String, Object>> decoded = NostrTools.call("nip19Decode", "strings", toDecode);
        for (int i = 0; i < ours.size(); i++) {
            Map<String, Object> d = decoded.get(i);
            Object expected = switch (entities.get(i)) {
                case Nip19Entity.Npub n -> n.pubkey();
                case Nip19Entity.Nsec n -> Hex.encode(n.secretKey());
                case Nip19Entity.Note n -> n.id();
                case Nip19Entity.Nprofile p -> Map.of("pubkey", p.pubkey(), "relays", p.relays());
                case Nip19Entity.Nevent e -> Map.of("id", e.id(), "relays", e.relays(), "author", e.author(), "kind", (long) e.kind());
                case Nip19Entity.Naddr a -> Map.of("identifier", a.identifier(), "pubkey", a.pubkey(), "kind", (long) a.kind(),
                        "relays", a.relays());
            };
            assertEquals(expected, d.get("data"), ours.get(i));
        }
        assertTrue(decoded.get(ours.size()).containsKey("error"), "nostr-tools refuses a bad checksum");
    }

    @Test
    void nip04CrossDecrypts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            texts.add(text(i).isEmpty() ? "." : text(i));
        }
        List<String> theirs = NostrTools.call("nip04Encrypt", "secretKey", alice.toHex(), "pubkey", bob.publicKey().hex(), "plaintexts", texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), Nip04.decrypt(theirs.get(i), bob, alice.publicKey()));
        }
        List<String> ours = new ArrayList<>(texts.stream().map(t -> Nip04.encrypt(t, alice, bob.publicKey())).toList());
        ours.add(Nip04.encrypt("for someone else", alice, SecretKey.generate().publicKey()));
        List<Object> decrypted = NostrTools.call("nip04Decrypt", "secretKey", bob.toHex(), "pubkey", alice.publicKey().hex(), "payloads", ours);
        assertEquals(texts, decrypted.subList(0, texts.size()));
        assertTrue(decrypted.get(texts.size()) instanceof Map<?, ?> || !"for someone else".equals(decrypted.get(texts.size())));
    }

    @Test
    void nip49CrossDecrypts() {
        String password = "\u212b\u2126\u1e9b\u0323 and more";
        String theirs = NostrTools.call("nip49Encrypt", "secretKey", alice.toHex(), "password", password, "logn", 8, "ksb", 1);
        assertEquals(alice.toHex(), Nip49.decrypt(theirs, password).toHex());
        assertEquals(new Nip49.Header(8, Nip49.KEY_SECURE), Nip49.header(theirs));
        String ours = Nip49.encrypt(alice, password, 9, Nip49.KEY_SECURITY_UNKNOWN);
        assertEquals(alice.toHex(), NostrTools.call("nip49Decrypt", "ncryptsec", ours, "password", password));
        // nostr-tools normalizes too: the NFKC form of the password opens it.
        String nfkc = java.text.Normalizer.normalize(password, java.text.Normalizer.Form.NFKC);
        assertEquals(alice.toHex(), NostrTools.call("nip49Decrypt", "ncryptsec", ours, "password", nfkc));
        Object wrong = NostrTools.call("nip49Decrypt", "ncryptsec", ours, "password", "wrong");
        assertInstanceOf(Map.class, wrong, "nostr-tools refuses the wrong password");
    }

    @Test
    void nip59WrapsOpenOnTheOtherSide() throws Exception {
        Map<String, Object> event = Map.of("kind", 1, "content", "Are you going to the party tonight? \ud83c\udf89",
                "tags", List.of(List.of("t", "party")), "created_at", 1_691_518_405L);
        Map<String, Object> theirWrap = NostrTools.call("nip59Wrap", "event", event, "senderSecret", alice.toHex(),
                "recipientPubkey", bob.publicKey().hex());
        GiftWrap.Unwrapped u = GiftWrap.unwrap(Event.parse(JsonTree.write(theirWrap)), bob);
        assertEquals(alice.publicKey(), u.sender());
        assertEquals(event.get("content"), u.rumor().content());
        assertEquals(1_691_518_405L, u.rumor().createdAt());
        assertEquals(List.of(List.of("t", "party")), u.rumor().tags());

        Rumor rumor = Rumor.of(new EventTemplate(1_700_000_000L, 1, List.of(List.of("t", "x")), "from core \u2728"), alice.publicKey().hex());
        Event ourWrap = GiftWrap.wrap(rumor, alice, bob.publicKey());
        Map<String, Object> theirRumor = NostrTools.call("nip59Unwrap", "wrap", NostrTools.event(ourWrap), "recipientSecret", bob.toHex());
        assertEquals(JsonTree.object(rumor.toJson()), theirRumor);
        Object refused = NostrTools.call("nip59Unwrap", "wrap", NostrTools.event(ourWrap), "recipientSecret", alice.toHex());
        assertInstanceOf(Map.class, refused);
        assertTrue(((Map<?, ?>) refused).containsKey("error"), "only the recipient can open it");
    }

    @Test
    void nip17ChatMessagesOpenOnTheOtherSide() throws Exception {
        Map<String, Object> theirWrap = NostrTools.call("nip17Wrap", "senderSecret", alice.toHex(), "recipientPubkey",
                bob.publicKey().hex(), "relayUrl", "wss://bob.example", "message", "hola", "subject", "chat");
        PrivateDirectMessage.Message m = PrivateDirectMessage.unwrap(Event.parse(JsonTree.write(theirWrap)), bob);
        assertEquals(PrivateDirectMessage.CHAT_KIND, m.rumor().kind());
        assertEquals("hola", m.rumor().content());
        assertEquals("chat", m.subject());
        assertEquals(List.of("p", bob.publicKey().hex(), "wss://bob.example"), m.rumor().tags().get(0));
        assertEquals(alice.publicKey(), m.sender());

        Rumor chat = PrivateDirectMessage.chat(alice.publicKey(), List.of(PrivateDirectMessage.Recipient.of(bob.publicKey())),
                "que tal", List.of(List.of("subject", "chat")));
        for (PrivateDirectMessage.Outgoing o : PrivateDirectMessage.wrap(chat, alice)) {
            SecretKey recipient = o.recipient().equals(bob.publicKey()) ? bob : alice;
            Map<String, Object> rumor = NostrTools.call("nip59Unwrap", "wrap", NostrTools.event(o.wrap()), "recipientSecret", recipient.toHex());
            assertEquals(JsonTree.object(chat.toJson()), rumor);
        }
    }

    @Test
    void nip98TokensValidateOnTheOtherSide() throws Exception {
        String url = "https://api.example.com/upload?x=1";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "x");
        body.put("n", 1L);
        byte[] bodyBytes = "{\"name\":\"x\",\"n\":1}".getBytes(StandardCharsets.UTF_8);

        String theirs = NostrTools.call("nip98Token", "secretKey", alice.toHex(), "url", url, "method", "POST", "body", body);
        assertTrue(theirs.startsWith("Nostr "), theirs);
        Event e = Nip98.verify(theirs, url, "POST", bodyBytes, System.currentTimeMillis() / 1000);
        assertEquals(alice.publicKey().hex(), e.pubkey());

        String ours = Nip98.header(EventSigner.of(alice), url, "POST", bodyBytes);
        assertEquals(Boolean.TRUE, NostrTools.call("nip98Validate", "token", ours, "url", url, "method", "POST", "body", body));
        Object wrongUrl = NostrTools.call("nip98Validate", "token", ours, "url", url + "&y=2", "method", "POST", "body", body);
        assertInstanceOf(Map.class, wrongUrl, "nostr-tools refuses another URL");
        Map<String, Object> otherBody = Map.of("name", "y");
        Object wrongBody = NostrTools.call("nip98Validate", "token", ours, "url", url, "method", "POST", "body", otherBody);
        assertInstanceOf(Map.class, wrongBody, "nostr-tools refuses another body");
    }

    @Test
    void nip13DifficultyAgreesAndMinedEventsCheckOnBothSides() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] id = randomBytes(32);
            int zeroBits = i % 70;
            for (int b = 0; b < zeroBits; b++) {
                id[b / 8] &= (byte) ~(0x80 >>> (b % 8));
            }
            ids.add(Hex.encode(id));
        }
        ids.add("0".repeat(64));
        List<Long> theirs = NostrTools.call("nip13", "ids", ids);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(theirs.get(i).intValue(), Pow.difficulty(ids.get(i)), ids.get(i));
        }

        EventTemplate mined = Pow.mine(EventTemplate.of(1, "core mined", List.of()), alice.publicKey().hex(), 12, 2);
        Event e = mined.sign(alice);
        List<Long> pow = NostrTools.call("nip13", "ids", List.of(e.id()));
        assertTrue(pow.get(0) >= 12);

        Map<String, Object> template = Map.of("kind", 1, "created_at", 0, "tags", List.of(), "content", "nostr-tools mined");
        Map<String, Object> theirMined = NostrTools.call("nip13Mine", "pubkey", alice.publicKey().hex(), "template", template, "difficulty", 10);
        @SuppressWarnings("unchecked")
        List<List<String>> tags = (List<List<String>>) theirMined.get("tags");
        Event signed = new EventTemplate((Long) theirMined.get("created_at"), 1, tags, "nostr-tools mined").sign(alice);
        assertEquals(theirMined.get("id"), signed.id());
        assertTrue(Pow.difficulty(signed.id()) >= 10);
        assertEquals(10, Pow.committedTarget(signed));
    }

    /** The TLV records of a bech32 TLV entity as "type:hex", stably sorted by type. */
    private static List<String> tlvRecords(String bech32) {
        byte[] data = nostr.core.nip19.Bech32.decode(bech32).data();
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < data.length; i += 2 + (data[i + 1] & 0xff)) {
            spans.add(new int[] {data[i] & 0xff, i + 2, data[i + 1] & 0xff});
        }
        spans.sort(java.util.Comparator.comparingInt(r -> r[0]));
        return spans.stream().map(r -> r[0] + ":" + Hex.encode(data, r[1], r[2])).toList();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
