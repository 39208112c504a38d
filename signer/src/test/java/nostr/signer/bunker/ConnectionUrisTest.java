package nostr.signer.bunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** NIP-46 "Initiating a connection": bunker:// and nostrconnect:// tokens, and method[:kind] permissions. */
class ConnectionUrisTest {
    @Test
    void nip46NostrconnectExampleParses() {
        var u = ConnectionUris.NostrConnectUri.parse("nostrconnect://83f3b2ae6aa368e8275397b9c26cf550101d63ebaab900d19dd4a4429f5ad8f5"
                + "?relay=wss%3A%2F%2Frelay1.example.com&perms=nip44_encrypt%2Cnip44_decrypt%2Csign_event%3A13%2Csign_event%3A14"
                + "%2Csign_event%3A1059&name=My+Client&secret=0s8j2djs&relay=wss%3A%2F%2Frelay2.example2.com");
        assertEquals("83f3b2ae6aa368e8275397b9c26cf550101d63ebaab900d19dd4a4429f5ad8f5", u.clientPubkey());
        assertEquals(List.of("wss://relay1.example.com", "wss://relay2.example2.com"), u.relays());
        assertEquals("0s8j2djs", u.secret());
        assertEquals("My Client", u.name());
        assertEquals(Set.of("nip44_encrypt", "nip44_decrypt", "sign_event:13", "sign_event:14", "sign_event:1059"),
                Permissions.parse(u.perms()).entries());
    }

    @Test
    void nip46NostrconnectWithoutSecretOrRelayIsRefused() {
        String pk = "83f3b2ae6aa368e8275397b9c26cf550101d63ebaab900d19dd4a4429f5ad8f5";
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ConnectionUris.NostrConnectUri.parse("nostrconnect://" + pk + "?relay=wss%3A%2F%2Fr")).getMessage()
                .contains("no secret"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ConnectionUris.NostrConnectUri.parse("nostrconnect://" + pk + "?secret=x")).getMessage()
                .contains("no relay"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ConnectionUris.NostrConnectUri.parse("nostrconnect://zz?secret=x&relay=r")).getMessage()
                .contains("valid pubkey"));
    }

    @Test
    void nip46BunkerUriRoundTrips() {
        var b = new ConnectionUris.BunkerUri("fa984bd7dbb282f07e16e7ae87b26a2a7b9b90b7246a44771f0cf5ae58018f52",
                List.of("wss://relay1.example", "ws://127.0.0.1:7777/"), "s3cret");
        String s = b.format();
        assertEquals("bunker://fa984bd7dbb282f07e16e7ae87b26a2a7b9b90b7246a44771f0cf5ae58018f52?relay=wss%3A%2F%2Frelay1.example"
                + "&relay=ws%3A%2F%2F127.0.0.1%3A7777%2F&secret=s3cret", s);
        assertEquals(b, ConnectionUris.BunkerUri.parse(s));
    }

    @Test
    void nip46PermissionsMethodAndKind() {
        Permissions p = Permissions.parse("nip44_encrypt, sign_event:4,sign_event:99999,steal,sign_event:x");
        assertTrue(p.allows("nip44_encrypt", -1));
        assertTrue(p.allows("sign_event", 4));
        assertFalse(p.allows("sign_event", 1));
        assertFalse(p.allows("nip44_decrypt", -1));
        assertEquals(Set.of("nip44_encrypt", "sign_event:4"), p.entries());
        assertTrue(Permissions.parse("sign_event").allows("sign_event", 30023));
    }
}
