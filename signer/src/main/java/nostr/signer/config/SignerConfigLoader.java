package nostr.signer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import nostr.signer.approval.AclKind;
import nostr.signer.config.SignerConfig.KeyStoreKind;
import nostr.signer.config.SignerConfig.RateLimit;

/**
 * Reads {@code signer.conf}: one {@code key = value} per line, {@code #} comments, lists written
 * {@code a, b, c} or {@code ['a', 'b']}. Each key can be overridden by an environment variable
 * {@code NOSTR_SIGNER_<KEY>} (upper case, dashes as underscores), e.g. {@code NOSTR_SIGNER_LOCK_TIMEOUT_SEC}.
 * Unknown keys and bad values are errors that name the key: a typo must not silently weaken a policy.
 */
public final class SignerConfigLoader {
    /** Every key the file may hold, with its default. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("default-identity", "");
        DEFAULTS.put("lock-timeout-sec", "300");
        DEFAULTS.put("remember-approvals", "false");
        DEFAULTS.put("approval-ttl-hours", "24");
        DEFAULTS.put("approval-timeout-sec", "30");
        DEFAULTS.put("auto-approve-kinds", "1,6,7");
        DEFAULTS.put("always-confirm-kinds", "4,30023");
        DEFAULTS.put("max-pending-approvals", "32");
        DEFAULTS.put("relays", "");
        DEFAULTS.put("key-store", "auto");
        DEFAULTS.put("passphrase-file", "");
        DEFAULTS.put("nip49-log-n", "16");
        DEFAULTS.put("sign-cooldown-ms", "100");
        DEFAULTS.put("sign-max-per-minute", "5");
        DEFAULTS.put("sign-lockout-max-sec", "300");
        DEFAULTS.put("key-mutation-cooldown-ms", "500");
        DEFAULTS.put("key-mutation-max-per-minute", "3");
        DEFAULTS.put("key-mutation-lockout-sec", "300");
        DEFAULTS.put("bunker-enabled", "false");
        DEFAULTS.put("bunker-relays", "");
        DEFAULTS.put("bunker-identity", "");
        DEFAULTS.put("bunker-allowed-pubkeys", "");
        DEFAULTS.put("bunker-allowed-methods", String.join(",", SignerConfig.NIP46_METHODS));
        DEFAULTS.put("bunker-auto-approve-kinds", "1,6,7");
        DEFAULTS.put("bunker-auth-url", "");
        DEFAULTS.put("bunker-auth-max-failures", "5");
        DEFAULTS.put("bunker-auth-lockout-max-sec", "300");
        DEFAULTS.put("client-session-timeout-sec", "900");
    }

    private SignerConfigLoader() {}

    /** The config file's default location: {@code $XDG_CONFIG_HOME/nostr-signer/signer.conf}. */
    public static Path defaultConfigFile(Map<String, String> env) {
        return xdg(env, "XDG_CONFIG_HOME", ".config").resolve("nostr-signer").resolve("signer.conf");
    }

    /** The data directory's default: {@code $XDG_DATA_HOME/nostr-signer}, or NOSTR_SIGNER_DATA_DIR. */
    public static Path defaultDataDir(Map<String, String> env) {
        String explicit = env.get("NOSTR_SIGNER_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return xdg(env, "XDG_DATA_HOME", ".local/share").resolve("nostr-signer");
    }

    private static Path xdg(Map<String, String> env, String var, String fallbackUnderHome) {
        String v = env.get(var);
        if (v != null && !v.isBlank()) {
            return Path.of(v);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home).resolve(fallbackUnderHome);
    }

    /**
     * Loads the config. A missing file at the default location means all defaults; a missing file that
     * was named explicitly is an error.
     *
     * @param explicitFile the {@code --config} path, or null for the default location
     * @param dataDir the {@code --data-dir} path, or null for the default
     * @param env the process environment (overrides and NOSTR_SIGNER_ALLOW_KEY_MUTATIONS)
     */
    public static SignerConfig load(Path explicitFile, Path dataDir, Map<String, String> env) throws IOException {
        Path file = explicitFile != null ? explicitFile
                : env.containsKey("NOSTR_SIGNER_CONFIG") ? Path.of(env.get("NOSTR_SIGNER_CONFIG")) : defaultConfigFile(env);
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        if (Files.exists(file)) {
            values.putAll(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } else if (explicitFile != null) {
            throw new IOException("config file " + file + " does not exist");
        }
        for (String key : DEFAULTS.keySet()) {
            String v = env.get(envName(key));
            if (v != null) {
                values.put(key, v);
            }
        }
        Path data = dataDir != null ? dataDir : defaultDataDir(env);
        return build(file, data, values, "1".equals(env.get("NOSTR_SIGNER_ALLOW_KEY_MUTATIONS")));
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "NOSTR_SIGNER_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Parses the file text into key/value pairs; rejects unknown keys and malformed lines. */
    static Map<String, String> parse(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected key = value");
            }
            String key = line.substring(0, eq).strip();
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": unknown key " + key);
            }
            out.put(key, unquote(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    static SignerConfig build(Path file, Path dataDir, Map<String, String> v, boolean allowKeyMutations) {
        RateLimit sign = new RateLimit(
                Duration.ofMillis(nonNegative(v, "sign-cooldown-ms")),
                (int) nonNegative(v, "sign-max-per-minute"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(nonNegative(v, "sign-lockout-max-sec")),
                true);
        RateLimit mutation = new RateLimit(
                Duration.ofMillis(nonNegative(v, "key-mutation-cooldown-ms")),
                (int) nonNegative(v, "key-mutation-max-per-minute"),
                Duration.ofSeconds(nonNegative(v, "key-mutation-lockout-sec")),
                Duration.ofSeconds(nonNegative(v, "key-mutation-lockout-sec")),
                false);
        int logN = (int) nonNegative(v, "nip49-log-n");
        if (logN < 1 || logN > 22) {
            throw new IllegalArgumentException("nip49-log-n must be between 1 and 22, got " + logN);
        }
        Set<String> methods = set(v, "bunker-allowed-methods");
        for (String m : methods) {
            if (!SignerConfig.NIP46_METHODS.contains(m)) {
                throw new IllegalArgumentException("bunker-allowed-methods: unknown NIP-46 method " + m);
            }
        }
        Set<String> allowedPubkeys = new LinkedHashSet<>();
        for (String p : set(v, "bunker-allowed-pubkeys")) {
            allowedPubkeys.add(nostr.core.keys.PublicKey.parse(p).hex());
        }
        String passphrase = v.get("passphrase-file").strip();
        return new SignerConfig(
                file,
                dataDir,
                v.get("default-identity").strip(),
                Duration.ofSeconds(nonNegative(v, "lock-timeout-sec")),
                bool(v, "remember-approvals"),
                Duration.ofHours(nonNegative(v, "approval-ttl-hours")),
                Duration.ofSeconds(positive(v, "approval-timeout-sec")),
                kinds(v, "auto-approve-kinds"),
                kinds(v, "always-confirm-kinds"),
                (int) positive(v, "max-pending-approvals"),
                list(v, "relays"),
                keyStore(v.get("key-store")),
                passphrase.isEmpty() ? null : Path.of(passphrase),
                logN,
                sign,
                mutation,
                allowKeyMutations,
                bool(v, "bunker-enabled"),
                list(v, "bunker-relays"),
                v.get("bunker-identity").strip(),
                Set.copyOf(allowedPubkeys),
                methods,
                kinds(v, "bunker-auto-approve-kinds"),
                v.get("bunker-auth-url").strip(),
                (int) positive(v, "bunker-auth-max-failures"),
                Duration.ofSeconds(positive(v, "bunker-auth-lockout-max-sec")),
                Duration.ofSeconds(positive(v, "client-session-timeout-sec")));
    }

    private static KeyStoreKind keyStore(String v) {
        return switch (v.strip()) {
            case "auto" -> KeyStoreKind.AUTO;
            case "secret-service" -> KeyStoreKind.SECRET_SERVICE;
            case "file" -> KeyStoreKind.FILE;
            default -> throw new IllegalArgumentException("key-store must be auto, secret-service or file, got " + v);
        };
    }

    private static long nonNegative(Map<String, String> v, String key) {
        long n = number(v, key);
        if (n < 0) {
            throw new IllegalArgumentException(key + " must not be negative, got " + n);
        }
        return n;
    }

    private static long positive(Map<String, String> v, String key) {
        long n = number(v, key);
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + n);
        }
        return n;
    }

    private static long number(Map<String, String> v, String key) {
        String s = v.get(key).strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + s + "'");
        }
    }

    private static boolean bool(Map<String, String> v, String key) {
        String s = v.get(key).strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + s + "'");
        };
    }

    /** A list value: {@code a, b} or {@code ['a', 'b']}; empty entries dropped. */
    static List<String> list(Map<String, String> v, String key) {
        String s = v.get(key).strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = unquote(part.strip()).strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> set(Map<String, String> v, String key) {
        return Set.copyOf(new LinkedHashSet<>(list(v, key)));
    }

    /** Kind lists hold event kinds (0..65535) and the operation names encrypt and decrypt. */
    private static Set<String> kinds(Map<String, String> v, String key) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : list(v, key)) {
            out.add(AclKind.parse(k, key));
        }
        return Set.copyOf(out);
    }
}
