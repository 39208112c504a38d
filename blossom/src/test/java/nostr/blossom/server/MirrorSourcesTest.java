package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** BUD-04 mirror source policy: only http(s), and by default only public addresses. */
class MirrorSourcesTest {
    @Test
    void bud04PrivateAndSpecialAddressesAreNotPublic() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::"}) {
            assertFalse(MirrorSources.isPublic(InetAddress.getByName(a)), a);
        }
        for (String a : new String[] {"1.1.1.1", "93.184.216.34", "2606:4700::1111"}) {
            assertTrue(MirrorSources.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void bud04OnlyHttpUrlsAndByDefaultOnlyPublicHosts() {
        Refusal scheme = assertThrows(Refusal.class, () -> MirrorSources.ANY_HOST.check(URI.create("file:///etc/passwd")));
        assertEquals(400, scheme.status());
        assertEquals(400, assertThrows(Refusal.class, () -> MirrorSources.ANY_HOST.check(URI.create("gopher://x/"))).status());
        Refusal loop = assertThrows(Refusal.class, () -> MirrorSources.PUBLIC_ONLY.check(URI.create("http://127.0.0.1:8080/x")));
        assertEquals(403, loop.status());
        assertTrue(loop.getMessage().contains("127.0.0.1"), loop.getMessage());
        assertEquals(403, assertThrows(Refusal.class,
                () -> MirrorSources.PUBLIC_ONLY.check(URI.create("http://[::1]/x"))).status());
        assertEquals(MirrorSources.ANY_HOST, MirrorSources.parse(" Any "));
        assertThrows(IllegalArgumentException.class, () -> MirrorSources.parse("lan"));
    }
}
