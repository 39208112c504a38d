package nostr.relay.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Client addresses: canonical form, X-Forwarded-For behind a trusted proxy, rate-limit keys. */
class IpAddressesTest {
    @Test
    void literalsAreNormalizedAndNamesAreNeverResolved() {
        assertEquals("2001:db8::1", IpAddresses.normalize("2001:DB8::1"));
        assertEquals("2001:db8::1", IpAddresses.normalize("[2001:db8:0:0:0:0:0:1]"));
        assertEquals("192.0.2.1", IpAddresses.normalize("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", IpAddresses.normalize(" 192.0.2.1 "));
        assertEquals("example.com", IpAddresses.normalize("example.com"));
        assertEquals("", IpAddresses.normalize(null));
    }

    @Test
    void forwardedForTakesTheEntryTheProxyAppended() {
        assertEquals("198.51.100.7", IpAddresses.fromForwardedFor("203.0.113.1, 10.0.0.2, 198.51.100.7"));
        assertEquals("198.51.100.7", IpAddresses.fromForwardedFor("198.51.100.7"));
        assertNull(IpAddresses.fromForwardedFor("spoofed, not-an-ip"));
        assertNull(IpAddresses.fromForwardedFor(""));
        assertNull(IpAddresses.fromForwardedFor(null));
    }

    @Test
    void ipv6RateKeysAreTheSlash64() {
        assertEquals("2001:db8:1:2::/64", IpAddresses.rateKey(IpAddresses.normalize("2001:db8:1:2:aaaa::1")));
        assertEquals("192.0.2.1", IpAddresses.rateKey("192.0.2.1"));
        assertEquals("IP6", IpAddresses.sourceType("2001:db8::1"));
        assertEquals("IP4", IpAddresses.sourceType("192.0.2.1"));
        assertEquals("Internal", IpAddresses.sourceType(""));
    }
}
