package nostr.relay.edge;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import nostr.relay.store.Listed;
import nostr.relay.store.ModerationStore;
import nostr.relay.store.StoreException;

/**
 * The IP addresses refused at the edge (NIP-86 {@code blockip}): an immutable set of addresses in
 * canonical text form, so that {@code ::1}, {@code 0:0::1} and {@code ::ffff:127.0.0.1}-style
 * spellings of one address match. Only address literals are accepted: a host name would mean a
 * DNS lookup on the admin's request path. Exact addresses only, no ranges.
 *
 * <p>The address checked is the client's: the TCP peer, or with {@code trust_proxy} the last
 * {@code X-Forwarded-For} entry (the one the reverse proxy appended).
 *
 * @param addresses canonical forms ({@link #canonical})
 */
public record IpBlocklist(Set<String> addresses) {

    public IpBlocklist {
        addresses = Set.copyOf(addresses);
    }

    /** Nothing blocked. */
    public static IpBlocklist empty() {
        return new IpBlocklist(Set.of());
    }

    /** Reads the blocked addresses from the store (entries that are not address literals are ignored). */
    public static IpBlocklist load(ModerationStore store) throws StoreException {
        Set<String> out = new HashSet<>();
        for (Listed l : store.blockedIps()) {
            parse(l.value()).ifPresent(a -> out.add(canonical(a)));
        }
        return new IpBlocklist(out);
    }

    /** True when connections from {@code address} are refused. */
    public boolean blocks(InetAddress address) {
        return address != null && !addresses.isEmpty() && addresses.contains(canonical(address));
    }

    /** An IPv4 or IPv6 literal, never resolved through DNS; empty for anything else. */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null || literal.isBlank() || literal.length() > 64) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(literal.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The canonical text of an address: dotted quad for IPv4 (also for IPv4-mapped IPv6), RFC 5952
     * for IPv6 (lowercase, leading zeros dropped, the longest run of two or more zero groups as
     * {@code ::}).
     */
    public static String canonical(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isV4Mapped(b)) {
            return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
