package nostr.relay.deletion;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import nostr.core.event.Event;

/**
 * Whether a NIP-62 request to vanish (kind 62) is addressed to this relay: it must carry at least
 * one {@code relay} tag, and one of them must name this relay's URL ({@code relay_url}) or be
 * {@code ALL_RELAYS} (in upper case, as the NIP says). A request for other relays only is
 * refused: acting on it would erase a user's data on a relay they did not ask, and storing it
 * would publish their request where they did not send it.
 *
 * <p>URLs are compared after the normalisation RFC 3986 section 6 allows: scheme and host in lower
 * case, the default port (80 for ws, 443 for wss) dropped, an empty path equal to "/", and a
 * trailing slash ignored.
 *
 * <p>A request that is addressed here is applied by the writer ({@code EventStore.vanish}: the
 * author's events up to its created_at and the gift wraps p-tagged to them are erased, and
 * re-publication of those is refused); it is not itself stored. NIP-62 allows relays to keep the
 * signed request for bookkeeping, but the store keeps a minimal audit record instead (pubkey, the
 * created_at it covers, when, how many events), which does not serve the request to anyone.
 */
public final class VanishRequests {
    /** NIP-62 request to vanish. */
    public static final int KIND = 62;
    /** The relay tag value that addresses every relay. */
    public static final String ALL_RELAYS = "ALL_RELAYS";

    private final Supplier<String> relayUrl;

    /** @param relayUrl this relay's public URL (known once its port is bound) */
    public VanishRequests(Supplier<String> relayUrl) {
        this.relayUrl = relayUrl;
    }

    /** Null when {@code request} (kind 62) is addressed to this relay, else the OK false message. */
    public String check(Event request) {
        String url = relayUrl.get();
        String normalized = url == null ? null : normalize(url);
        List<String> relays = request.tagValues("relay");
        if (relays.isEmpty()) {
            return "invalid: a request to vanish (kind 62) must name the relay in a relay tag, or ALL_RELAYS (NIP-62)";
        }
        for (String r : relays) {
            if (r.equals(ALL_RELAYS) || (normalized != null && normalized.equals(normalize(r)))) {
                return null;
            }
        }
        return "invalid: this request to vanish names other relays, not this one (" + url + "); it was not applied";
    }

    /** scheme://host[:port]/path in canonical form, or null when {@code url} is not a ws(s) URL. */
    static String normalize(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || !("ws".equals(scheme) || "wss".equals(scheme))) {
            return null;
        }
        int port = u.getPort();
        if ((port == 80 && scheme.equals("ws")) || (port == 443 && scheme.equals("wss"))) {
            port = -1;
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port) + path
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }
}
