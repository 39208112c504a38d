package nostr.core.nip42;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;

/**
 * NIP-42 authentication of clients to relays: the kind 22242 event a client signs in answer to
 * {@code ["AUTH", <challenge>]}, and the checks a relay makes on it.
 */
public final class Nip42 {
    /** The AUTH event kind. */
    public static final int KIND = 22242;
    /** NIP-42 suggests "within ~10 minutes" of the current time. */
    public static final long DEFAULT_WINDOW_SECONDS = 600;

    private Nip42() {}

    /** The unsigned AUTH event for {@code relayUrl} and {@code challenge}, stamped now. */
    public static EventTemplate authTemplate(String relayUrl, String challenge) {
        return EventTemplate.of(KIND, "", List.of(List.of("relay", relayUrl), List.of("challenge", challenge)));
    }

    /**
     * Verifies an AUTH event as a relay must: kind 22242, created_at within {@code windowSeconds}
     * of {@code nowSeconds}, the challenge tag equal to {@code challenge}, the relay tag naming
     * {@code relayUrl} (compared after normalization: scheme ws/wss, host case, default port and
     * trailing slash ignored), and a valid id and signature.
     *
     * @throws InvalidEventException naming the first check that failed
     */
    public static void verify(Event auth, String challenge, String relayUrl, long nowSeconds, long windowSeconds)
            throws InvalidEventException {
        if (auth.kind() != KIND) {
            throw new InvalidEventException("AUTH event must be kind " + KIND);
        }
        if (Math.abs(auth.createdAt() - nowSeconds) > windowSeconds) {
            throw new InvalidEventException("AUTH event created_at is too far from the current time");
        }
        String c = auth.tagValue("challenge");
        if (c == null || !c.equals(challenge)) {
            throw new InvalidEventException("AUTH event challenge does not match");
        }
        String r = auth.tagValue("relay");
        if (r == null || !sameRelay(r, relayUrl)) {
            throw new InvalidEventException("AUTH event relay URL does not match this relay");
        }
        auth.verify();
    }

    /**
     * True when two relay URLs name the same relay: same host (case-insensitive), same path
     * ignoring a trailing slash, same port when one is given (a default port matches a default
     * port). The scheme (ws, wss, http, https) is not compared: a relay behind a TLS proxy listens
     * on ws while its clients sign wss.
     */
    public static boolean sameRelay(String a, String b) {
        Normal x = normalize(a);
        Normal y = normalize(b);
        return x != null && x.equals(y);
    }

    private record Normal(String host, int port, String path) {}

    private static Normal normalize(String url) {
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean secure = switch (scheme) {
                case "wss", "https" -> true;
                case "ws", "http" -> false;
                default -> throw new URISyntaxException(url, "not a ws/wss URL");
            };
            int defaultPort = secure ? 443 : 80;
            if (u.getHost() == null) {
                return null;
            }
            int port = u.getPort() == defaultPort ? -1 : u.getPort();
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return new Normal(u.getHost().toLowerCase(Locale.ROOT), port, path);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
