package nostr.core.nip19;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import nostr.core.Hex;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** The examples of NIP-19 ("Examples" section; vectors/nostr/nip19-examples.json) and malformed inputs. */
class Nip19VectorsTest {

    @Test
    void nip19NpubExampleRoundTrips() {
        String npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
        String hex = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
        assertEquals(new Nip19Entity.Npub(hex), Nip19.decode(npub));
        assertEquals(npub, Nip19.npub(hex));
        assertEquals(hex, PublicKey.parse(npub).hex());
    }

    @Test
    void nip19NsecExampleRoundTrips() {
        String nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
        String hex = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
        Nip19Entity.Nsec decoded = (Nip19Entity.Nsec) Nip19.decode(nsec);
        assertArrayEquals(Hex.decode(hex), decoded.secretKey());
        assertEquals(nsec, SecretKey.parse(hex).toNsec());
        assertEquals(hex, SecretKey.parse(nsec).toHex());
    }

    @Test
    void nip19NprofileExampleDecodesAndReEncodes() {
        String s = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
        Nip19Entity.Nprofile p = (Nip19Entity.Nprofile) Nip19.decode(s);
        assertEquals("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d", p.pubkey());
        assertEquals(List.of("wss://r.x.com", "wss://djbas.sadkb.com"), p.relays());
        assertEquals(s, p.encode());
    }

    @Test
    void nip19TlvEntitiesRoundTripWithoutLengthCap() {
        String id = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
        String pk = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
        List<String> relays = List.of("wss://relay.one.example.com", "wss://relay.two.example.com",
                "wss://relay.three.example.com");
        Nip19Entity.Nevent ev = new Nip19Entity.Nevent(id, relays, pk, 30023);
        String enc = ev.encode();
        // Over BIP-173's 90-character cap, which NIP-19 does not apply.
        assertEquals(true, enc.length() > 90);
        assertEquals(ev, Nip19.decode(enc));
        Nip19Entity.Naddr addr = new Nip19Entity.Naddr("my-article", pk, 30023, relays);
        assertEquals(addr, Nip19.decode(addr.encode()));
        assertEquals(new Nip19Entity.Note(id), Nip19.decode("nostr:" + Nip19.note(id)));
    }

    @Test
    void nip19MalformedInputsAreRefusedWithAReason() {
        String good = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
        String badChecksum = good.substring(0, good.length() - 1) + "q";
        assertEquals("bech32 checksum is wrong",
                assertThrows(IllegalArgumentException.class, () -> Nip19.decode(badChecksum)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nip19.decode("npub1" + "b".repeat(10)));
        assertThrows(IllegalArgumentException.class, () -> Nip19.decode(good.toUpperCase().substring(0, 10) + good.substring(10)));
        assertThrows(IllegalArgumentException.class, () -> Nip19.decode(Bech32.encode("nfoo", new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> Nip19.decode(Bech32.encode("npub", new byte[31])));
        assertThrows(IllegalArgumentException.class, () -> Nip19.decode(Bech32.encode("naddr", new byte[] {0, 1, 'x'})));
    }
}
