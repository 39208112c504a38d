package nostr.relay.policy;

import java.net.InetAddress;
import nostr.relay.edge.IpBlocklist;

/**
 * Client addresses as the policy compares them: IP literals in one canonical text form (the
 * edge's {@link IpBlocklist#canonical}, RFC 5952, so {@code ::1} and {@code 0:0:0:0:0:0:0:1} are
 * the same blocked address), the {@code X-Forwarded-For}
 * entry a trusted proxy appended, and the key rate limits count under (IPv6 clients by their /64,
 * the block a single subscriber usually gets).
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** The canonical text of an IP literal; other text is returned stripped, unchanged. Never resolves names. */
    public static String normalize(String address) {
        if (address == null) {
            return "";
        }
        String s = address.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone > 0) {
            s = s.substring(0, zone);
        }
        return IpBlocklist.parse(s).map(IpBlocklist::canonical).orElse(s);
    }

    /**
     * The client address a reverse proxy reported: the last entry of {@code X-Forwarded-For}
     * (the one the proxy in front of us appended; earlier entries are whatever the client sent).
     *
     * @return the normalized address, or null when the header is absent or its last entry is not an IP literal
     */
    public static String fromForwardedFor(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String last = header.substring(header.lastIndexOf(',') + 1).strip();
        String n = normalize(last);
        return isLiteral(n) ? n : null;
    }

    /** The key per-IP rate limits count under: the address, or for IPv6 its /64 prefix. */
    public static String rateKey(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] b = InetAddress.ofLiteral(address).getAddress();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return sb.append(":/64").toString();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    /** strfry's {@code sourceType}: IP4 or IP6 (empty address: Internal). */
    public static String sourceType(String address) {
        if (address == null || address.isEmpty()) {
            return "Internal";
        }
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    private static boolean isLiteral(String s) {
        try {
            InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
