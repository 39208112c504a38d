package nostr.signer.bunker;

import java.util.LinkedHashSet;
import java.util.Set;

import nostr.signer.config.SignerConfig;

/**
 * NIP-46 permissions: a comma-separated list of {@code method[:param]}, where the only defined
 * parameter is the event kind of {@code sign_event} ({@code nip44_encrypt,sign_event:4}). A bare
 * {@code sign_event} covers every kind. Unknown methods and malformed kinds are dropped, since the
 * list comes from the client and only narrows what it gets.
 */
public record Permissions(Set<String> entries) {
    public static final Permissions NONE = new Permissions(Set.of());

    public Permissions {
        entries = Set.copyOf(entries);
    }

    public static Permissions parse(String list) {
        Set<String> out = new LinkedHashSet<>();
        if (list == null) {
            return NONE;
        }
        for (String raw : list.split(",")) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            String method = colon < 0 ? p : p.substring(0, colon);
            if (!SignerConfig.NIP46_METHODS.contains(method)) {
                continue;
            }
            if (colon < 0) {
                out.add(method);
                continue;
            }
            String param = p.substring(colon + 1);
            if (method.equals("sign_event") && param.matches("\\d{1,5}") && Integer.parseInt(param) <= 65535) {
                out.add(method + ":" + Integer.parseInt(param));
            }
        }
        return new Permissions(out);
    }

    /** True when {@code method} (with {@code kind} for sign_event, else -1) is granted. */
    public boolean allows(String method, int kind) {
        return entries.contains(method) || kind >= 0 && entries.contains(method + ":" + kind);
    }

    /** The comma-separated form. */
    public String format() {
        return String.join(",", entries);
    }
}
