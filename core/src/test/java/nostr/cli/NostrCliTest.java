package nostr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nostr.core.Hex;
import nostr.core.event.Canonical;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import nostr.core.nip19.Nip19;
import nostr.core.nip13.Pow;
import nostr.core.nip19.Nip19Entity;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The offline {@code nostr} commands run in-process with captured streams: keys against BIP-340's
 * vectors, NIP-19 round trips against NIP-19's examples, NIP-01 signing and verification, and the
 * exit codes and one-line errors of bad input. ({@link NostrScriptIT} runs the real bin/nostr.)
 */
class NostrCliTest {
    private static final Pattern PAIR = Pattern.compile("\"bech32\":\\s*\"([^\"]+)\",\\s*\"hex\":\\s*\"([0-9a-f]+)\"");

    /** (bech32, hex) pairs of one section of NIP-19's examples. */
    private static List<String[]> nip19Pairs(String section) {
        String json = Repo.vector("nostr/nip19-examples.json");
        int start = json.indexOf("\"" + section + "\"");
        int end = json.indexOf(']', start);
        Matcher m = PAIR.matcher(json.substring(start, end));
        List<String[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        assertFalse(out.isEmpty(), "no " + section + " examples");
        return out;
    }

    /** (secret, public) hex pairs from BIP-340's test vectors (rows that have a secret key). */
    private static List<String[]> bip340Keys() {
        return Repo.vector("bip340/test-vectors.csv").lines().skip(1).map(l -> l.split(",", -1))
                .filter(f -> !f[1].isEmpty())
                .map(f -> new String[] {f[1].toLowerCase(Locale.ROOT), f[2].toLowerCase(Locale.ROOT)}).toList();
    }

    private static void assertNoStackTrace(Cli.Run r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    // ---- key --------------------------------------------------------------------------------

    @Test
    void bip340KeyPublicDerivesTheVectorsPublicKeys() {
        List<String[]> keys = bip340Keys();
        String[] secrets = keys.stream().map(k -> k[0]).toArray(String[]::new);
        Cli.Run r = Cli.nostr(null, prepend(new String[] {"key", "public"}, secrets));
        assertEquals(0, r.code(), r.err());
        assertEquals(keys.stream().map(k -> k[1]).toList(), r.lines());

        Cli.Run fromStdin = Cli.nostr(String.join("\n", secrets) + "\n", "key", "public");
        assertEquals(r.lines(), fromStdin.lines());
    }

    @Test
    void nip19KeyPublicPrintsNpubAndReadsTheEnvironment() {
        SecretKey k = SecretKey.generate();
        Cli.Run r = Cli.nostr(null, Map.of("NOSTR_SECRET_KEY", k.toNsec()), "key", "public", "--npub");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(k.publicKey().npub()), r.lines());
    }

    @Test
    void nip19KeyGenerateJsonFormsDescribeOneKey() {
        Cli.Run r = Cli.nostr(null, "key", "generate", "--json");
        assertEquals(0, r.code());
        String line = r.lines().getFirst();
        String seckey = field(line, "seckey");
        SecretKey k = SecretKey.parse(seckey);
        assertEquals(k.toNsec(), field(line, "nsec"));
        assertEquals(k.publicKey().hex(), field(line, "pubkey"));
        assertEquals(k.publicKey().npub(), field(line, "npub"));

        Cli.Run plain = Cli.nostr(null, "key", "generate");
        assertTrue(plain.out().matches("[0-9a-f]{64}\n"), plain.out());
        assertFalse(plain.out().strip().equals(seckey), "two generated keys differ");
    }

    @Test
    void nip19KeyConvertFollowsTheExamplesBothWays() {
        for (String[] p : nip19Pairs("nsec")) {
            assertEquals(List.of(p[1]), Cli.nostr(null, "key", "convert", p[0]).lines());
            assertEquals(List.of(p[0]), Cli.nostr(null, "key", "convert", "--to", "nsec", p[1]).lines());
        }
        for (String[] p : nip19Pairs("npub")) {
            assertEquals(List.of(p[1]), Cli.nostr(null, "key", "convert", p[0]).lines());
            assertEquals(List.of(p[0]), Cli.nostr(p[1] + "\n", "key", "convert", "--to", "npub").lines());
        }
    }

    @Test
    void nip19KeyConvertOfBareHexNeedsToBeTold() {
        String hex = nip19Pairs("npub").getFirst()[1];
        Cli.Run r = Cli.nostr(null, "key", "convert", hex);
        assertEquals(2, r.code());
        assertEquals("nostr key convert: hex key '" + hex + "' could be public or secret: say --to npub or --to nsec",
                r.errLine());
    }

    // ---- encode / decode ----------------------------------------------------------------------

    @Test
    void nip19DecodeAndEncodeRoundTripTheExamples() {
        for (String[] p : nip19Pairs("npub")) {
            Cli.Run d = Cli.nostr(null, "decode", p[0]);
            assertEquals(List.of("{\"type\":\"npub\",\"pubkey\":\"" + p[1] + "\"}"), d.lines());
            assertEquals(List.of(p[0]), Cli.nostr(null, "encode", "npub", p[1]).lines());
            assertEquals(List.of(p[0]), Cli.nostr(d.out(), "encode").lines());
        }
        for (String[] p : nip19Pairs("nsec")) {
            Cli.Run d = Cli.nostr(null, "decode", "nostr:" + p[0]);
            assertEquals(List.of("{\"type\":\"nsec\",\"seckey\":\"" + p[1] + "\"}"), d.lines());
            assertEquals(List.of(p[0]), Cli.nostr(null, "encode", "nsec", p[1]).lines());
            assertEquals(List.of(p[0]), Cli.nostr(d.out(), "encode").lines());
        }
        String nprofile = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue"
                + "69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
        Cli.Run d = Cli.nostr(null, "decode", nprofile);
        assertEquals(List.of("{\"type\":\"nprofile\",\"pubkey\":\"3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aa"
                + "aefa459d\",\"relays\":[\"wss://r.x.com\",\"wss://djbas.sadkb.com\"]}"), d.lines());
        assertEquals(List.of(nprofile), Cli.nostr(d.out(), "encode").lines());
        assertEquals(List.of(nprofile), Cli.nostr(null, "encode", "nprofile", "-r", "wss://r.x.com", "-r",
                "wss://djbas.sadkb.com", "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d").lines());
    }

    @Test
    void nip19EveryEntityTypeRoundTripsThroughDecodeAndEncode() {
        String id = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
        String pk = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
        Cli.Run note = Cli.nostr(null, "encode", "note", id);
        assertEquals(List.of(Nip19.note(id)), note.lines());
        Cli.Run nevent = Cli.nostr(null, "encode", "nevent", "-r", "wss://a.example", "-a", Nip19.npub(pk), "-k", "1", id);
        Cli.Run naddr = Cli.nostr(null, "encode", "naddr", "-d", "my-article", "-p", pk, "-k", "30023",
                "-r", "wss://a.example");
        String all = note.out() + nevent.out() + naddr.out();
        Cli.Run decoded = Cli.nostr(all, "decode");
        assertEquals(List.of("{\"type\":\"note\",\"id\":\"" + id + "\"}",
                "{\"type\":\"nevent\",\"id\":\"" + id + "\",\"relays\":[\"wss://a.example\"],\"author\":\"" + pk
                        + "\",\"kind\":1}",
                "{\"type\":\"naddr\",\"identifier\":\"my-article\",\"pubkey\":\"" + pk
                        + "\",\"kind\":30023,\"relays\":[\"wss://a.example\"]}"), decoded.lines());
        assertEquals(all.lines().toList(), Cli.nostr(decoded.out(), "encode").lines());
        assertEquals(new Nip19Entity.Nevent(id, List.of("wss://a.example"), pk, 1),
                Nip19.decode(nevent.lines().getFirst()));
    }

    @Test
    void nip19DecodeRefusesABadChecksumInOneLine() {
        String good = nip19Pairs("npub").getFirst()[0];
        String bad = good.substring(0, good.length() - 1) + (good.endsWith("q") ? "p" : "q");
        Cli.Run r = Cli.nostr(null, "decode", bad);
        assertEquals(2, r.code());
        assertEquals("nostr decode: cannot decode '" + bad.substring(0, 57) + "...': bech32 checksum is wrong",
                r.errLine());
        assertEquals("", r.out());
    }

    // ---- event / verify -----------------------------------------------------------------------

    @Test
    void nip01EventSignsFlagsIntoAValidEvent() throws Exception {
        SecretKey k = SecretKey.generate();
        Cli.Run r = Cli.nostr(null, "event", "--sec", k.toHex(), "-k", "30023", "-c", "héllo \"world\"",
                "-t", "d=my-article", "-t", "t=nostr,java", "-t", "-", "--created-at", "1700000000");
        assertEquals(0, r.code(), r.err());
        Event e = Event.parse(r.lines().getFirst());
        e.verify();
        assertEquals(k.publicKey().hex(), e.pubkey());
        assertEquals(30023, e.kind());
        assertEquals("héllo \"world\"", e.content());
        assertEquals(1700000000L, e.createdAt());
        assertEquals(List.of(List.of("d", "my-article"), List.of("t", "nostr", "java"), List.of("-")), e.tags());
        assertEquals(0, Cli.nostr(r.out(), "verify").code());
    }

    @Test
    void nip01EventSignsEachTemplateOnStdinWithFlagsOverriding() throws Exception {
        SecretKey k = SecretKey.generate();
        String templates = "{\"kind\":7,\"content\":\"+\",\"tags\":[[\"e\",\"" + "a".repeat(64) + "\"]],\"created_at\":5}\n"
                + "\n{\"kind\":1,\"content\":\"second\",\"pubkey\":\"" + k.publicKey().hex() + "\"}\n";
        Cli.Run r = Cli.nostr(templates, Map.of("NOSTR_SECRET_KEY", k.toNsec()), "event", "-t", "client=cli");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.lines().size());
        Event first = Event.parse(r.lines().get(0));
        first.verify();
        assertEquals(7, first.kind());
        assertEquals(5, first.createdAt());
        assertEquals(List.of(List.of("e", "a".repeat(64)), List.of("client", "cli")), first.tags());
        Event second = Event.parse(r.lines().get(1));
        second.verify();
        assertEquals("second", second.content());

        Cli.Run overridden = Cli.nostr("{\"kind\":7,\"content\":\"+\"}", "event", "--sec", k.toHex(), "-k", "1",
                "-c", "replaced");
        Event o = Event.parse(overridden.lines().getFirst());
        assertEquals(1, o.kind());
        assertEquals("replaced", o.content());
    }

    @Test
    void nip01EventRefusesATemplateOfAnotherKey() {
        SecretKey k = SecretKey.generate();
        String other = SecretKey.generate().publicKey().hex();
        Cli.Run r = Cli.nostr("{\"kind\":1,\"pubkey\":\"" + other + "\"}", "event", "--sec", k.toHex());
        assertEquals(2, r.code());
        assertEquals("nostr event: stdin line 1: the template's pubkey " + other + " is not the signing key's "
                + k.publicKey().hex(), r.errLine());
    }

    @Test
    void nip01VerifyAcceptsValidAndRejectsTamperedEventsWithTheReason() {
        SecretKey k = SecretKey.generate();
        Event e = EventTemplate.of(1, "original", List.of()).sign(k);
        Cli.Run ok = Cli.nostr(null, "verify", e.json());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("", ok.out() + ok.err());

        Cli.Run content = Cli.nostr(e.json().replace("original", "tampered") + "\n", "verify");
        assertEquals(1, content.code());
        assertEquals("nostr verify: invalid: id does not match the event's contents", content.errLine());

        String otherSig = EventTemplate.of(1, "other", List.of()).sign(k).sig();
        Cli.Run sig = Cli.nostr(null, "verify", e.json().replace(e.sig(), otherSig));
        assertEquals(1, sig.code());
        assertEquals("nostr verify: invalid: signature is invalid", sig.errLine());

        Cli.Run mixed = Cli.nostr(e.json() + "\n{\"id\":\"x\"}\n", "verify");
        assertEquals(1, mixed.code());
        assertTrue(mixed.errLine().startsWith("nostr verify: event 2: invalid: "), mixed.err());
    }

    // ---- nip44 / pow --------------------------------------------------------------------------

    @Test
    void nip44DecryptOpensEveryValidVectorPayload() {
        Map<String, Object> v2 = JsonTree.at(JsonTree.parse(Repo.vector("nip44/nip44.vectors.json")), "v2");
        List<Map<String, Object>> cases = JsonTree.at(v2, "valid", "encrypt_decrypt");
        assertEquals(10, cases.size());
        for (Map<String, Object> c : cases) {
            String sender = SecretKey.parse((String) c.get("sec1")).publicKey().hex();
            Cli.Run r = Cli.nostr(null, "nip44", "decrypt", "--sec", (String) c.get("sec2"), "--sender", sender,
                    (String) c.get("payload"));
            assertEquals(0, r.code(), r.err());
            assertEquals(c.get("plaintext") + "\n", r.out());
        }
    }

    @Test
    void nip44DecryptRefusesInvalidVectorPayloadsWithExitOne() {
        Map<String, Object> v2 = JsonTree.at(JsonTree.parse(Repo.vector("nip44/nip44.vectors.json")), "v2");
        SecretKey me = SecretKey.generate();
        String peer = SecretKey.generate().publicKey().hex();
        for (Map<String, Object> c : JsonTree.<List<Map<String, Object>>>at(v2, "invalid", "decrypt")) {
            Cli.Run r = Cli.nostr(null, "nip44", "decrypt", "--sec", me.toHex(), "--sender", peer,
                    (String) c.get("payload"));
            assertEquals(1, r.code(), c.get("note") + ": " + r.err());
            assertTrue(r.errLine().startsWith("nostr nip44 decrypt: cannot decrypt: "), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void nip44EncryptedTextFromStdinRoundTripsAndOnlyTheRecipientOpensIt() {
        SecretKey alice = SecretKey.generate();
        SecretKey bob = SecretKey.generate();
        String text = "meet at noon\nbring the 🔑";
        Cli.Run enc = Cli.nostr(text + "\n", Map.of("NOSTR_SECRET_KEY", alice.toNsec()), "nip44", "encrypt",
                "--recipient", bob.publicKey().npub());
        assertEquals(0, enc.code(), enc.err());
        String payload = enc.lines().getFirst();
        Cli.Run dec = Cli.nostr(payload + "\n", "nip44", "decrypt", "--sec", bob.toHex(), "--sender",
                alice.publicKey().hex());
        assertEquals(0, dec.code(), dec.err());
        assertEquals(text + "\n", dec.out());

        Cli.Run eve = Cli.nostr(null, "nip44", "decrypt", "--sec", SecretKey.generate().toHex(), "--sender",
                alice.publicKey().hex(), payload);
        assertEquals(1, eve.code());
        assertEquals("nostr nip44 decrypt: cannot decrypt: invalid MAC", eve.errLine());

        Cli.Run bad = Cli.nostr(null, "nip44", "encrypt", "--sec", alice.toHex(), "--recipient", "npub1nope", "x");
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().startsWith("nostr nip44 encrypt: --recipient: "), bad.err());
    }

    @Test
    void nip13PowMeetsTheDifficultyAndCommitsToIt() throws Exception {
        SecretKey k = SecretKey.generate();
        Cli.Run r = Cli.nostr(null, "pow", "--difficulty", "10", "--threads", "2", "--sec", k.toHex(), "-c", "work",
                "-t", "t=pow");
        assertEquals(0, r.code(), r.err());
        Event e = Event.parse(r.lines().getFirst());
        e.verify();
        assertTrue(Pow.difficulty(e.id()) >= 10, e.id());
        assertEquals(10, Pow.committedTarget(e));
        assertEquals("work", e.content());
        assertEquals(List.of("t", "pow"), e.tags().getFirst());
    }

    @Test
    void nip13PowWithoutAKeyPrintsTheUnsignedEventWithItsId() throws Exception {
        String pubkey = SecretKey.generate().publicKey().hex();
        Cli.Run r = Cli.nostr("{\"kind\":1,\"content\":\"from a template\",\"created_at\":1700000000,\"pubkey\":\""
                + pubkey + "\"}\n", "pow", "--difficulty", "8");
        assertEquals(0, r.code(), r.err());
        String line = r.lines().getFirst();
        EventTemplate.Parsed parsed = EventTemplate.parse(line);
        assertEquals(pubkey, parsed.pubkey());
        assertEquals(1700000000L, parsed.template().createdAt());
        String id = field(line, "id");
        EventTemplate t = parsed.template();
        assertEquals(Hex.encode(Canonical.id(pubkey, t.createdAt(), t.kind(), t.tags(), t.content())), id);
        assertTrue(Pow.difficulty(id) >= 8, id);
        assertFalse(line.contains("\"sig\""));

        Cli.Run none = Cli.nostr(null, "pow", "--difficulty", "300", "--pubkey", pubkey);
        assertEquals(2, none.code());
        assertEquals("nostr pow: --difficulty must be between 0 and 256, got 300", none.errLine());
    }

    // ---- bad input: exit 2, one line, no stack trace -------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "frobnicate",
        "key",
        "key generate --bogus",
        "event --sec 1234",
        "event --sec nsec1notakey",
        "event --kind notanumber --sec 0000000000000000000000000000000000000000000000000000000000000001",
        "event --kind 70000 --sec 0000000000000000000000000000000000000000000000000000000000000001",
        "event --tag =x --sec 0000000000000000000000000000000000000000000000000000000000000001",
        "encode npub nothex",
        "encode naddr -k 1",
        "decode npub1",
        "verify",
        "req",
        "req --relay http://not-a-websocket",
        "req --relay ws://127.0.0.1:1 --author nobody",
        "req --relay ws://127.0.0.1:1 --tag long=x",
        "req --relay ws://127.0.0.1:1 --limit -1",
        "count --relay ws://127.0.0.1:1 --id 1234",
        "publish --relay ws://127.0.0.1:1 --timeout 0",
        "req --relay ws://127.0.0.1:1 --auth",
        "nip44",
        "nip44 encrypt --recipient 0000000000000000000000000000000000000000000000000000000000000001 x",
        "pow --difficulty 1 --threads 0 --pubkey 79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "pow",
    })
    void badInputExitsTwoWithOneLineNamingTheProblem(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        Cli.Run r = Cli.nostr("", args);
        assertEquals(2, r.code(), line + " -> " + r.err());
        String err = r.errLine();
        assertTrue(err.startsWith("nostr"), err);
        assertNoStackTrace(r);
        assertEquals("", r.out());
    }

    @Test
    void badInputMessagesNameTheProblem() {
        assertEquals("nostr event: a secret key is needed: pass --sec KEY or set NOSTR_SECRET_KEY",
                Cli.nostr("", "event").errLine());
        assertEquals("nostr event: $NOSTR_SECRET_KEY: secret key must be 64 hex characters or nsec1...",
                Cli.nostr("", Map.of("NOSTR_SECRET_KEY", "oops"), "event").errLine());
        assertEquals("nostr req: relay URL must start with ws:// or wss://, got http://x",
                Cli.nostr("", "req", "--relay", "http://x").errLine());
        assertEquals("nostr req: --tag: filter tags take a single letter a-z or A-Z, got 'long'",
                Cli.nostr("", "req", "--relay", "ws://127.0.0.1:1", "-t", "long=x").errLine());
        assertEquals("nostr req: Missing required option: '--relay=URL' (see 'nostr req --help')",
                Cli.nostr("", "req").errLine());
        String bad = Cli.nostr("\n{\n", "publish", "--relay", "ws://127.0.0.1:1").errLine();
        assertTrue(bad.startsWith("nostr publish: stdin line 2: invalid event: malformed JSON: ")
                && bad.endsWith("; nothing was published"), bad);
    }

    // ---- network failures without a relay -----------------------------------------------------

    @Test
    void nip01UnreachableRelayIsANetworkFailure() throws Exception {
        String dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = "ws://127.0.0.1:" + s.getLocalPort();
        }
        Event e = EventTemplate.of(1, "nowhere to go", List.of()).sign(SecretKey.generate());
        Cli.Run pub = Cli.nostr(e.json() + "\n", "publish", "--relay", dead);
        assertEquals(3, pub.code(), pub.err());
        assertEquals(List.of("{\"relay\":\"" + dead + "\",\"id\":\"" + e.id() + "\",\"accepted\":false,\"error\":\""
                + dead + ": connection refused\"}"), pub.lines());

        Cli.Run req = Cli.nostr("", "req", "--relay", dead, "-k", "1");
        assertEquals(3, req.code());
        assertEquals("nostr req: " + dead + ": connection refused", req.errLine());

        Cli.Run count = Cli.nostr("", "count", "--relay", dead);
        assertEquals(3, count.code());
        assertEquals(List.of("{\"relay\":\"" + dead + "\",\"error\":\"" + dead + ": connection refused\"}"),
                count.lines());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    private static String[] prepend(String[] head, String[] tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
