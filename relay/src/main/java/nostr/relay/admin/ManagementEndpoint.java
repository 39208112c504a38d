package nostr.relay.admin;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import nostr.core.event.Event;
import nostr.core.nip98.HttpAuthException;
import nostr.core.nip98.Nip98;
import nostr.relay.admin.ManagementApi.Reply;

/**
 * NIP-86 over HTTP: a {@code POST} to the relay's URL with {@code Content-Type:
 * application/nostr+json+rpc}, authorized by a NIP-98 {@code Authorization: Nostr <base64 event>}
 * header whose {@code payload} tag (required here, as NIP-86 says) is the SHA-256 of the body.
 *
 * <p>Checks, in order: content type (415), body size (413), the NIP-98 event (401, with the
 * reason: missing header, not base64, not an event, wrong kind, more than 60 s from the server's
 * clock, {@code u} not this relay, method not POST, payload missing or not the body's hash, bad id
 * or signature), the signer among {@code admin_pubkeys} (403), then the request itself (400 for a
 * malformed body, an unknown method or bad params).
 *
 * <p>The {@code u} tag must name this relay: its http(s) URL derived from the relay URL
 * (ws -> http, wss -> https) or the ws(s) relay URL itself, with or without the trailing slash of
 * an empty path. NIP-86 says "the relay URL" and clients differ on which form they sign; each of
 * them binds the token to this relay.
 */
public final class ManagementEndpoint {
    /** The media type of NIP-86 requests. */
    public static final String CONTENT_TYPE = "application/nostr+json+rpc";
    /** Bodies longer than this are refused (413) before anything else is read. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ManagementApi api;
    private final Supplier<Set<String>> admins;
    private final Supplier<String> relayUrl;
    private final Clock clock;
    private final Counter requests;

    /**
     * @param admins the pubkeys allowed to call (hex)
     * @param relayUrl this relay's WebSocket URL ({@code ws://host:port/})
     * @param registry where {@code parrhesia_admin_requests_total} is registered
     */
    public ManagementEndpoint(ManagementApi api, Supplier<Set<String>> admins, Supplier<String> relayUrl, Clock clock,
                              PrometheusRegistry registry) {
        this.api = api;
        this.admins = admins;
        this.relayUrl = relayUrl;
        this.clock = clock;
        this.requests = Counter.builder().name("parrhesia_admin_requests_total")
                .help("NIP-86 management requests, by method (\"unknown\" when unparsed) and HTTP status")
                .labelNames("method", "status").register(registry);
    }

    /** True when a request with this Content-Type header is meant for this endpoint. */
    public static boolean isManagementRequest(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return media.equals(CONTENT_TYPE);
    }

    /**
     * Handles one POST.
     *
     * @param contentType the Content-Type header, or null
     * @param authorization the Authorization header, or null
     * @param body the request body, at most {@link #MAX_BODY_BYTES} + 1 bytes read (more is refused)
     */
    public Reply handle(String contentType, String authorization, byte[] body) {
        Reply reply;
        String method = "unknown";
        if (!isManagementRequest(contentType)) {
            reply = Reply.error(415, "POST to the relay URL is the NIP-86 management API: send Content-Type: "
                    + CONTENT_TYPE);
        } else if (body.length > MAX_BODY_BYTES) {
            reply = Reply.error(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
        } else {
            reply = authorize(authorization, body);
            if (reply == null) {
                try {
                    ManagementRequest request = ManagementRequest.parse(body);
                    if (ManagementMethod.byWireName(request.method()).isPresent()) {
                        method = request.method();
                    }
                    reply = api.call(request, signer(authorization));
                } catch (ManagementRequest.MalformedRequestException e) {
                    reply = Reply.error(400, "invalid: " + e.getMessage());
                }
            }
        }
        requests.labelValues(method, Integer.toString(reply.status())).inc();
        return reply;
    }

    /** Null when the header authorizes an admin; else the 401 or 403 reply. */
    private Reply authorize(String authorization, byte[] body) {
        Event auth;
        try {
            Event unchecked = Nip98.decode(authorization);
            Set<String> accepted = acceptedUrls(relayUrl.get());
            String u = unchecked.tagValue("u");
            // Verify against the URL the token names when it is one of this relay's forms, so a
            // mismatch is reported by Nip98 with its own reason.
            String url = u != null && accepted.contains(u) ? u : accepted.iterator().next();
            auth = Nip98.verify(authorization, url, "POST", body, clock.millis() / 1000);
            if (auth.tagValue("payload") == null) {
                throw new HttpAuthException("auth event has no payload tag (NIP-86 requires the SHA-256 of the body)");
            }
        } catch (HttpAuthException e) {
            return Reply.error(401, "unauthorized: " + e.getMessage());
        }
        Set<String> allowed = admins.get();
        if (!allowed.contains(auth.pubkey())) {
            return Reply.error(403, allowed.isEmpty()
                    ? "forbidden: this relay has no admin_pubkeys configured, so its management API is closed"
                    : "forbidden: " + auth.pubkey() + " is not an admin of this relay");
        }
        return null;
    }

    private static String signer(String authorization) {
        try {
            return Nip98.decode(authorization).pubkey();
        } catch (HttpAuthException e) {
            throw new IllegalStateException("authorized header no longer decodes", e);
        }
    }

    /**
     * The {@code u} values that name this relay: the http(s) form first (the canonical one), then
     * the ws(s) form, each with and without the trailing slash of the path.
     */
    static Set<String> acceptedUrls(String relayUrl) {
        URI uri;
        try {
            uri = new URI(relayUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("relay URL is not a URI: " + relayUrl, e);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String http = switch (scheme) {
            case "ws", "http" -> "http";
            case "wss", "https" -> "https";
            default -> throw new IllegalArgumentException("relay URL must be ws, wss, http or https: " + relayUrl);
        };
        String ws = http.equals("http") ? "ws" : "wss";
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String bare = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String slashed = bare + "/";
        Set<String> out = new LinkedHashSet<>();
        for (String s : new String[] {http, ws}) {
            out.add(s + "://" + uri.getRawAuthority() + slashed);
            out.add(s + "://" + uri.getRawAuthority() + bare);
        }
        return out;
    }
}
