package nostr.signer.bunker;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import nostr.core.keys.PublicKey;

/**
 * The two NIP-46 connection tokens: {@code bunker://<remote-signer-pubkey>?relay=...&secret=...}
 * (we hand it to a client) and {@code nostrconnect://<client-pubkey>?relay=...&secret=...&perms=...&name=...}
 * (a client hands it to us). Query values are percent-encoded; relays may repeat.
 */
public final class ConnectionUris {
    private ConnectionUris() {}

    /** A {@code bunker://} token. */
    public record BunkerUri(String signerPubkey, List<String> relays, String secret) {
        /** Formats the token with percent-encoded relay URLs (what nostr-tools' parser accepts). */
        public String format() {
            StringBuilder sb = new StringBuilder("bunker://").append(signerPubkey);
            char sep = '?';
            for (String r : relays) {
                sb.append(sep).append("relay=").append(encode(r));
                sep = '&';
            }
            if (secret != null && !secret.isEmpty()) {
                sb.append(sep).append("secret=").append(encode(secret));
            }
            return sb.toString();
        }

        public static BunkerUri parse(String uri) {
            Parsed p = parseUri(uri, "bunker://");
            return new BunkerUri(p.pubkey(), p.values("relay"), p.first("secret"));
        }
    }

    /** A {@code nostrconnect://} token. */
    public record NostrConnectUri(String clientPubkey, List<String> relays, String secret, String perms, String name,
                                  String url, String image) {
        public static NostrConnectUri parse(String uri) {
            Parsed p = parseUri(uri, "nostrconnect://");
            List<String> relays = p.values("relay");
            if (relays.isEmpty()) {
                throw new IllegalArgumentException("nostrconnect:// URI names no relay");
            }
            String secret = p.first("secret");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("nostrconnect:// URI has no secret (NIP-46 requires one)");
            }
            return new NostrConnectUri(p.pubkey(), relays, secret, nullToEmpty(p.first("perms")),
                    nullToEmpty(p.first("name")), nullToEmpty(p.first("url")), nullToEmpty(p.first("image")));
        }
    }

    private record Parsed(String pubkey, List<String[]> query) {
        List<String> values(String key) {
            List<String> out = new ArrayList<>();
            for (String[] kv : query) {
                if (kv[0].equals(key)) {
                    out.add(kv[1]);
                }
            }
            return out;
        }

        String first(String key) {
            List<String> v = values(key);
            return v.isEmpty() ? null : v.getFirst();
        }
    }

    private static Parsed parseUri(String uri, String scheme) {
        String s = uri == null ? "" : uri.strip();
        if (!s.startsWith(scheme)) {
            throw new IllegalArgumentException("expected a " + scheme + " URI");
        }
        String rest = s.substring(scheme.length());
        int q = rest.indexOf('?');
        String host = q < 0 ? rest : rest.substring(0, q);
        if (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        String pubkey;
        try {
            pubkey = PublicKey.parse(host).hex();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(scheme + " URI does not start with a valid pubkey: " + e.getMessage());
        }
        List<String[]> query = new ArrayList<>();
        if (q >= 0) {
            for (String part : rest.substring(q + 1).split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String k = decode(eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : decode(part.substring(eq + 1));
                query.add(new String[] {k, v});
            }
        }
        return new Parsed(pubkey, query);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed percent-encoding in connection URI: " + s);
        }
    }
}
