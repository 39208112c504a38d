package nostr.blossom.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs {@code PUT /mirror} may fetch from (BUD-04). Only {@code http} and {@code https}.
 * By default ({@link #PUBLIC_ONLY}) a host that resolves to a loopback, private, link-local,
 * carrier-grade NAT, unspecified or multicast address is refused, so clients cannot use the
 * server to reach services behind it (server-side request forgery). {@link #ANY_HOST} lifts that,
 * for tests on loopback and for servers that mirror from their own network.
 *
 * <p>Each redirect target is checked again. Known gap: the check resolves the host, and the HTTP
 * client resolves it again when connecting, so a DNS server that changes its answer in between
 * (DNS rebinding) can still steer a fetch; run mirror-enabled servers where that matters behind
 * an egress firewall.
 */
public enum MirrorSources {
    /** Public addresses only (the default). */
    PUBLIC_ONLY,
    /** Any address, loopback and private ranges included. */
    ANY_HOST;

    /** Parses the config value: {@code public} or {@code any}. */
    public static MirrorSources parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "public" -> PUBLIC_ONLY;
            case "any" -> ANY_HOST;
            default -> throw new IllegalArgumentException("blossom_mirror_sources must be 'public' or 'any', got '" + value + "'");
        };
    }

    /** Refuses a URL this policy does not allow, with the reason. */
    void check(URI url) throws Refusal {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refusal(400, "mirror url must be http or https, got '" + (url.getScheme() == null ? "" : url.getScheme()) + "'");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new Refusal(400, "mirror url has no host");
        }
        if (this == ANY_HOST) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refusal(502, "mirror host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new Refusal(403, "mirror host " + host + " resolves to a non-public address (" + a.getHostAddress()
                        + "); this server only mirrors from public addresses");
            }
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
