package nostr.signer.bunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Node;
import nostr.core.testing.Repo;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.Parrhesia;
import nostr.signer.testing.SignerHarness;

/**
 * NIP-46 interop: nostr-tools' BunkerSigner (npm, not our code) connects through a real parrhesia
 * relay to our bunker, by a bunker:// URI from the D-Bus control interface and by a nostrconnect://
 * URI accepted over D-Bus; it gets the public key, signs an event that verifies, round-trips NIP-44
 * both ways, pings and logs out.
 */
class BunkerInteropTest {
    @TempDir
    static Path dir;
    static Parrhesia relay;
    static SignerHarness h;
    static SecretKey user = SecretKey.generate();

    @BeforeAll
    static void start() throws Exception {
        relay = Parrhesia.start(dir.resolve("relay"));
        h = SignerHarness.start(dir.resolve("signer"), SignerHarness.Options.keyring().withBunkerRelays()
                .set("bunker-enabled", "true")
                .set("bunker-relays", relay.url())
                .set("bunker-auto-approve-kinds", "1"));
        h.client.signer().StoreKey(user.toNsec(), "bunker-user");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    static void checkSession(Map<String, Object> out) throws Exception {
        assertEquals(user.publicKey().hex(), out.get("userPubkey"));
        assertEquals(true, out.get("verified"));
        Event e = Event.parse(JsonTree.write(out.get("event")));
        assertTrue(e.isValid(), "our own verifier agrees");
        assertEquals(user.publicKey().hex(), e.pubkey());
        assertEquals("signed through a bunker", e.content());
        assertEquals("nip-44 round trip ✓", out.get("nip44Encrypted"));
        assertEquals("hello back", out.get("nip44Decrypted"));
        assertEquals(true, out.get("pinged"));
        assertEquals(true, out.get("loggedOut"));
    }

    @Test
    void nostrToolsBunkerSignerConnectsWithABunkerUri() throws Exception {
        String uri = h.gdbus.call("org.nostr.Signer.Control.CreateBunkerUri", Gdbus.str(""),
                Gdbus.str("nip44_encrypt,nip44_decrypt")).string(0);
        assertTrue(uri.startsWith("bunker://" + user.publicKey().hex() + "?relay="), uri);
        Node.Result r = Node.run("nip46-client.mjs", null, "bunker", uri);
        assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
        Map<String, Object> out = JsonTree.object(r.lines().getLast());
        checkSession(out);
        // The session was logged out: it is listed as REVOKED.
        String clientPubkey = (String) out.get("clientPubkey");
        List<Object> sessions = (List<Object>) JsonTree.parse(h.client.control().ListSessions());
        assertTrue(sessions.stream().map(s -> (Map<?, ?>) s).anyMatch(s -> clientPubkey.equals(s.get("client_pubkey"))
                && "REVOKED".equals(s.get("state"))), sessions.toString());
        // The secret was single-use: the same URI no longer connects.
        Node.Result again = Node.run("nip46-client.mjs", null, "bunker", uri);
        assertTrue(again.exitCode() != 0, "a used secret must not connect again");
    }

    @Test
    void nostrToolsConnectsThroughANostrconnectUriAcceptedOverDbus() throws Exception {
        Path script = Repo.root().resolve("interop/nip46-client.mjs");
        Process p = new ProcessBuilder("node", script.toString(), "nostrconnect", relay.url())
                .directory(Repo.root().resolve("interop").toFile()).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String uri = stdout.readLine();
            assertTrue(uri != null && uri.startsWith("nostrconnect://"), "no URI from the client: " + uri);
            String client = h.client.control().AcceptNostrConnect(uri, "");
            String result = stdout.readLine();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), err);
            Map<String, Object> out = JsonTree.object(result);
            assertEquals(client, out.get("clientPubkey"));
            checkSession(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            p.destroyForcibly();
        }
    }
}
