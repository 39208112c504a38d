package nostr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.core.nip13.Pow;
import nostr.core.testing.BinScript;
import org.junit.jupiter.api.Test;

/**
 * The real {@code bin/nostr} launcher as a user runs it (a separate JVM on the packaged jar, pipes,
 * environment): NIP-19 keys and entities, NIP-01 signing then verifying, and the documented exit
 * codes. Runs under failsafe after {@code package}.
 */
class NostrScriptIT {

    @Test
    void nip19GeneratedKeyConvertsAndDerivesThroughThePipe() {
        BinScript.Result gen = BinScript.run("nostr", null, "key", "generate");
        assertEquals(0, gen.exitCode(), gen.stderr());
        String hex = gen.stdout().strip();
        assertTrue(hex.matches("[0-9a-f]{64}"), hex);
        BinScript.Result pub = BinScript.run("nostr", hex + "\n", "key", "public", "--npub");
        assertEquals(0, pub.exitCode(), pub.stderr());
        assertEquals(List.of(SecretKey.parse(hex).publicKey().npub()), pub.lines());
        BinScript.Result nsec = BinScript.run("nostr", null, "key", "convert", "--to", "nsec", hex);
        assertEquals(List.of(SecretKey.parse(hex).toNsec()), nsec.lines());
    }

    @Test
    void nip19DecodePrintsJsonThatEncodeReadsBack() {
        String nprofile = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue"
                + "69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
        BinScript.Result d = BinScript.run("nostr", null, "decode", nprofile);
        assertEquals(0, d.exitCode(), d.stderr());
        assertEquals(List.of("{\"type\":\"nprofile\",\"pubkey\":\"3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aa"
                + "aefa459d\",\"relays\":[\"wss://r.x.com\",\"wss://djbas.sadkb.com\"]}"), d.lines());
        BinScript.Result e = BinScript.run("nostr", d.stdout(), "encode");
        assertEquals(List.of(nprofile), e.lines());
    }

    @Test
    void nip01EventSignedWithTheEnvironmentKeyVerifiesAndTamperingExitsOne() throws Exception {
        SecretKey k = SecretKey.generate();
        BinScript.Result ev = BinScript.run("nostr", "", Map.of("NOSTR_SECRET_KEY", k.toNsec()),
                "event", "-k", "1", "-c", "from the script ✓", "-t", "t=it");
        assertEquals(0, ev.exitCode(), ev.stderr());
        Event e = Event.parse(ev.lines().getFirst());
        e.verify();
        assertEquals(k.publicKey().hex(), e.pubkey());
        assertEquals("from the script ✓", e.content());

        BinScript.Result ok = BinScript.run("nostr", ev.stdout(), "verify");
        assertEquals(0, ok.exitCode(), ok.stderr());
        BinScript.Result bad = BinScript.run("nostr", ev.stdout().replace("from the script", "forged"), "verify");
        assertEquals(1, bad.exitCode());
        assertEquals("nostr verify: invalid: id does not match the event's contents", bad.stderr().strip());
    }

    @Test
    void nip44PayloadMadeByTheScriptOpensOnlyForTheRecipient() {
        SecretKey alice = SecretKey.generate();
        SecretKey bob = SecretKey.generate();
        BinScript.Result enc = BinScript.run("nostr", "across processes ✓\n", "nip44", "encrypt", "--sec", alice.toNsec(),
                "--recipient", bob.publicKey().npub());
        assertEquals(0, enc.exitCode(), enc.stderr());
        BinScript.Result dec = BinScript.run("nostr", enc.stdout(), Map.of("NOSTR_SECRET_KEY", bob.toHex()),
                "nip44", "decrypt", "--sender", alice.publicKey().hex());
        assertEquals(0, dec.exitCode(), dec.stderr());
        assertEquals("across processes ✓\n", dec.stdout());
        BinScript.Result wrong = BinScript.run("nostr", enc.stdout(), "nip44", "decrypt", "--sec",
                SecretKey.generate().toHex(), "--sender", alice.publicKey().hex());
        assertEquals(1, wrong.exitCode());
        assertEquals("nostr nip44 decrypt: cannot decrypt: invalid MAC", wrong.stderr().strip());
    }

    @Test
    void nip13PowFromTheScriptMeetsItsDifficulty() throws Exception {
        SecretKey k = SecretKey.generate();
        BinScript.Result r = BinScript.run("nostr", "{\"kind\":1,\"content\":\"mined\"}\n", "pow", "--difficulty", "12",
                "--sec", k.toHex());
        assertEquals(0, r.exitCode(), r.stderr());
        Event e = Event.parse(r.lines().getFirst());
        e.verify();
        assertTrue(Pow.difficulty(e.id()) >= 12, e.id());
        assertEquals(12, Pow.committedTarget(e));
        assertEquals(0, BinScript.run("nostr", r.stdout(), "verify").exitCode());
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoStackTrace() {
        BinScript.Result r = BinScript.run("nostr", null, "decode", "npub1qqqqqqqqqqqqqqqqqqqq");
        assertEquals(2, r.exitCode());
        List<String> err = r.stderr().lines().toList();
        assertEquals(1, err.size(), r.stderr());
        assertTrue(err.getFirst().startsWith("nostr decode: cannot decode 'npub1qqqqqqqqqqqqqqqqqqqq': "), err.getFirst());
        assertFalse(r.stderr().contains("Exception"), r.stderr());

        BinScript.Result usage = BinScript.run("nostr", null, "event", "--no-such-flag");
        assertEquals(2, usage.exitCode());
        assertEquals("nostr event: Unknown option: '--no-such-flag' (see 'nostr event --help')",
                usage.stderr().strip());
    }

    @Test
    void helpListsEveryCommandExitCodeAndTheEnvironment() {
        BinScript.Result r = BinScript.run("nostr", null, "--help");
        assertEquals(0, r.exitCode());
        for (String s : List.of("key", "encode", "decode", "event", "verify", "publish", "req", "count", "nip44", "pow",
                "Exit codes:", "  0   ok", "  1   negative answer", "  2   usage error", "  3   network",
                "NOSTR_SECRET_KEY")) {
            assertTrue(r.stdout().contains(s), s + " missing from:\n" + r.stdout());
        }
    }
}
