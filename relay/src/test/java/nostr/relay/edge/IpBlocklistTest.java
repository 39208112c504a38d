package nostr.relay.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** NIP-86 blockip addresses: literals only (no DNS), one canonical spelling per address (RFC 5952 for IPv6). */
class IpBlocklistTest {
    private static String canon(String literal) {
        return IpBlocklist.canonical(IpBlocklist.parse(literal).orElseThrow());
    }

    @Test
    void nip86BlockIpSpellingsOfOneAddressHaveOneCanonicalForm() {
        assertEquals("::1", canon("0:0:0:0:0:0:0:1"));
        assertEquals("::1", canon("::0001"));
        assertEquals("2001:db8::1", canon("2001:0DB8:0000:0000:0000:0000:0000:0001"));
        assertEquals("2001:db8:0:1:1:1:1:1", canon("2001:db8:0:1:1:1:1:1"), "a single zero group is not shortened");
        assertEquals("2001:0:0:1::1", canon("2001:0:0:1:0:0:0:1"), "the longest run is shortened");
        assertEquals("::", canon("0:0:0:0:0:0:0:0"));
        assertEquals("192.0.2.7", canon("::ffff:192.0.2.7"), "IPv4-mapped IPv6 is the IPv4 address");
        assertEquals("10.0.0.1", canon("10.0.0.1"));
    }

    @Test
    void nip86BlockIpAcceptsOnlyAddressLiterals() {
        assertEquals(Optional.empty(), IpBlocklist.parse("localhost"));
        assertEquals(Optional.empty(), IpBlocklist.parse("relay.example.com"));
        assertEquals(Optional.empty(), IpBlocklist.parse("10.0.0.0/8"));
        assertEquals(Optional.empty(), IpBlocklist.parse(""));
        assertEquals(Optional.empty(), IpBlocklist.parse("999.1.1.1"));
    }

    @Test
    void nip86BlocklistMatchesEverySpelling() {
        IpBlocklist list = new IpBlocklist(Set.of(canon("::1"), canon("192.0.2.7")));
        assertTrue(list.blocks(IpBlocklist.parse("0:0::1").orElseThrow()));
        assertTrue(list.blocks(IpBlocklist.parse("::ffff:192.0.2.7").orElseThrow()));
        assertFalse(list.blocks(IpBlocklist.parse("192.0.2.8").orElseThrow()));
        assertFalse(IpBlocklist.empty().blocks(IpBlocklist.parse("::1").orElseThrow()));
    }
}
