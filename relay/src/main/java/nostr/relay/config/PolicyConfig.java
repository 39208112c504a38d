package nostr.relay.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who may write and read what: the settings of the policy pipeline, NIP-42 AUTH, NIP-13 proof of
 * work, rate limits, gift-wrap reads, MLS and the write-policy plugin. Validated once; each part
 * names the config key a bad value came from.
 *
 * @param trustProxy take the client address from the last {@code X-Forwarded-For} entry (behind a reverse proxy)
 * @param auth NIP-42 requirements
 * @param accessMode who may publish: everyone, the allowlist, or NIP-43 members
 * @param kindsAllow when not empty, only these kinds are accepted (besides the store's allowed kinds)
 * @param kindsDeny kinds always refused
 * @param pow NIP-13 minimum difficulty
 * @param rates token buckets shared by all connections of an IP or a pubkey
 * @param giftWrapReads who may read kind 1059 gift wraps
 * @param mls MLS (Marmot) group messaging support
 * @param plugin the external write-policy program
 */
public record PolicyConfig(boolean trustProxy, Auth auth, AccessMode accessMode, KindSet kindsAllow, KindSet kindsDeny,
                           Pow pow, Rates rates, GiftWrapReads giftWrapReads, Mls mls, Plugin plugin) {

    /** Most kinds {@code auth_required_read_kinds} may name (they become a query condition). */
    public static final int MAX_READ_KINDS = 256;

    public PolicyConfig {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(accessMode, "accessMode");
        Objects.requireNonNull(kindsAllow, "kindsAllow");
        Objects.requireNonNull(kindsDeny, "kindsDeny");
        Objects.requireNonNull(pow, "pow");
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(giftWrapReads, "giftWrapReads");
        Objects.requireNonNull(mls, "mls");
        Objects.requireNonNull(plugin, "plugin");
    }

    /** An open relay: no AUTH needed, no proof of work, no shared rate limits, gift wraps for their recipients only. */
    public static PolicyConfig defaults() {
        return new PolicyConfig(false, Auth.defaults(), AccessMode.OPEN, KindSet.EMPTY, KindSet.EMPTY, Pow.defaults(),
                Rates.defaults(), GiftWrapReads.RECIPIENT, Mls.defaults(), Plugin.defaults());
    }

    public PolicyConfig withAuth(Auth a) {
        return new PolicyConfig(trustProxy, a, accessMode, kindsAllow, kindsDeny, pow, rates, giftWrapReads, mls, plugin);
    }

    public PolicyConfig withAccessMode(AccessMode m) {
        return new PolicyConfig(trustProxy, auth, m, kindsAllow, kindsDeny, pow, rates, giftWrapReads, mls, plugin);
    }

    public PolicyConfig withKinds(KindSet allow, KindSet deny) {
        return new PolicyConfig(trustProxy, auth, accessMode, allow, deny, pow, rates, giftWrapReads, mls, plugin);
    }

    public PolicyConfig withPow(Pow p) {
        return new PolicyConfig(trustProxy, auth, accessMode, kindsAllow, kindsDeny, p, rates, giftWrapReads, mls, plugin);
    }

    public PolicyConfig withRates(Rates r) {
        return new PolicyConfig(trustProxy, auth, accessMode, kindsAllow, kindsDeny, pow, r, giftWrapReads, mls, plugin);
    }

    public PolicyConfig withGiftWrapReads(GiftWrapReads g) {
        return new PolicyConfig(trustProxy, auth, accessMode, kindsAllow, kindsDeny, pow, rates, g, mls, plugin);
    }

    public PolicyConfig withMls(Mls m) {
        return new PolicyConfig(trustProxy, auth, accessMode, kindsAllow, kindsDeny, pow, rates, giftWrapReads, m, plugin);
    }

    public PolicyConfig withPlugin(Plugin p) {
        return new PolicyConfig(trustProxy, auth, accessMode, kindsAllow, kindsDeny, pow, rates, giftWrapReads, mls, p);
    }

    public PolicyConfig withTrustProxy(boolean t) {
        return new PolicyConfig(t, auth, accessMode, kindsAllow, kindsDeny, pow, rates, giftWrapReads, mls, plugin);
    }

    /** What needs an authenticated connection ({@code auth_required}). */
    public enum AuthMode {
        NONE, WRITES, READS, ALL;

        public boolean writes() {
            return this == WRITES || this == ALL;
        }

        public boolean reads() {
            return this == READS || this == ALL;
        }

        static AuthMode parse(String s) {
            return parseEnum(AuthMode.class, "auth_required", s);
        }
    }

    /** Who may publish ({@code access_mode}). */
    public enum AccessMode {
        /** Everyone not banned (a non-empty store allowlist still restricts, as NIP-86 allowpubkey expects). */
        OPEN,
        /** Only pubkeys on the store's allowlist. */
        ALLOWLIST,
        /** Only members of the relay (NIP-43, the store's relay group) and allowlisted pubkeys. */
        MEMBERS;

        static AccessMode parse(String s) {
            return parseEnum(AccessMode.class, "access_mode", s);
        }
    }

    /** Who may read kind 1059 gift wraps ({@code giftwrap_reads}). */
    public enum GiftWrapReads {
        /** Only a connection authenticated as a pubkey named in the wrap's p tag. */
        RECIPIENT,
        /** Anyone (the content is encrypted; only the recipient metadata is exposed). */
        OPEN;

        static GiftWrapReads parse(String s) {
            return parseEnum(GiftWrapReads.class, "giftwrap_reads", s);
        }
    }

    /**
     * NIP-42 requirements.
     *
     * @param mode {@code auth_required}
     * @param writeKinds {@code auth_required_write_kinds}: publishing these kinds needs AUTH
     * @param readKinds {@code auth_required_read_kinds}: reading these kinds needs AUTH
     * @param windowSeconds {@code auth_window_seconds}: how far an AUTH event's created_at may be from now
     */
    public record Auth(AuthMode mode, KindSet writeKinds, KindSet readKinds, long windowSeconds) {
        public Auth {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(writeKinds, "writeKinds");
            Objects.requireNonNull(readKinds, "readKinds");
            if (windowSeconds <= 0) {
                throw new IllegalArgumentException("auth_window_seconds must be positive, got " + windowSeconds);
            }
            if (readKinds.enumerate(MAX_READ_KINDS) == null) {
                throw new IllegalArgumentException("auth_required_read_kinds may name at most " + MAX_READ_KINDS + " kinds");
            }
        }

        public static Auth defaults() {
            return new Auth(AuthMode.NONE, KindSet.EMPTY, KindSet.EMPTY, 600);
        }

        /** True when some read or write may need AUTH (NIP-11 {@code auth_required} says the whole relay does). */
        public boolean everNeeded() {
            return mode != AuthMode.NONE || !writeKinds.isEmpty() || !readKinds.isEmpty();
        }
    }

    /**
     * NIP-13 proof of work.
     *
     * @param minDifficulty {@code min_pow_difficulty}: leading zero bits every event's id needs (0: none)
     * @param perKind {@code min_pow_difficulty_kinds}: kind to its own minimum, overriding the global one
     * @param requireCommitment {@code pow_require_commitment}: events that need work must carry a nonce tag with a target
     */
    public record Pow(int minDifficulty, Map<Integer, Integer> perKind, boolean requireCommitment) {
        public Pow {
            checkBits("min_pow_difficulty", minDifficulty);
            perKind = java.util.Collections.unmodifiableMap(new TreeMap<>(perKind));
            for (Map.Entry<Integer, Integer> e : perKind.entrySet()) {
                if (e.getKey() < 0 || e.getKey() > 65535) {
                    throw new IllegalArgumentException("min_pow_difficulty_kinds: kind " + e.getKey() + " is outside 0..65535");
                }
                checkBits("min_pow_difficulty_kinds", e.getValue());
            }
        }

        public static Pow defaults() {
            return new Pow(0, Map.of(), false);
        }

        /** The difficulty events of {@code kind} need. */
        public int required(int kind) {
            Integer k = perKind.get(kind);
            return k != null ? k : minDifficulty;
        }

        /** Parses {@code "1:20, 4:0"} (kind:bits). */
        static Map<Integer, Integer> parsePerKind(String text) {
            Map<Integer, Integer> out = new TreeMap<>();
            if (text == null || text.isBlank()) {
                return out;
            }
            for (String item : text.split(",")) {
                String s = item.strip();
                if (s.isEmpty()) {
                    continue;
                }
                int colon = s.indexOf(':');
                try {
                    if (colon < 0) {
                        throw new NumberFormatException();
                    }
                    out.put(Integer.parseInt(s.substring(0, colon).strip()), Integer.parseInt(s.substring(colon + 1).strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("min_pow_difficulty_kinds: '" + s + "' is not kind:bits (e.g. 1:20)");
                }
            }
            return out;
        }

        private static void checkBits(String key, int bits) {
            if (bits < 0 || bits > 256) {
                throw new IllegalArgumentException(key + " must be 0..256 bits, got " + bits);
            }
        }
    }

    /**
     * Token buckets shared by every connection of one client address or one author (0: off; a
     * burst of 0 means twice the rate).
     *
     * @param ipEventRate {@code ip_event_rate}: EVENTs per second from one IP address
     * @param ipEventBurst {@code ip_event_burst}
     * @param pubkeyEventRate {@code pubkey_event_rate}: events per second by one author
     * @param pubkeyEventBurst {@code pubkey_event_burst}
     * @param ipConnectionRate {@code ip_connection_rate}: new WebSocket connections per second from one IP
     * @param ipConnectionBurst {@code ip_connection_burst}
     */
    public record Rates(int ipEventRate, int ipEventBurst, int pubkeyEventRate, int pubkeyEventBurst,
                        int ipConnectionRate, int ipConnectionBurst) {
        public Rates {
            notNegative("ip_event_rate", ipEventRate);
            notNegative("ip_event_burst", ipEventBurst);
            notNegative("pubkey_event_rate", pubkeyEventRate);
            notNegative("pubkey_event_burst", pubkeyEventBurst);
            notNegative("ip_connection_rate", ipConnectionRate);
            notNegative("ip_connection_burst", ipConnectionBurst);
        }

        public static Rates defaults() {
            return new Rates(0, 0, 0, 0, 0, 0);
        }

        /** The bucket size for a rate and its configured burst (0: twice the rate). */
        public static int burst(int rate, int burst) {
            return burst > 0 ? burst : Math.max(1, rate * 2);
        }
    }

    /**
     * MLS (Marmot, the successor of NIP-EE) group messaging.
     *
     * @param enabled {@code mls_enabled}: validate kinds 443 and 445 and keep group events only for the TTL
     * @param groupEventTtlSeconds {@code mls_group_event_ttl_seconds}: kind 445 events older than this are refused and purged
     */
    public record Mls(boolean enabled, long groupEventTtlSeconds) {
        public Mls {
            if (groupEventTtlSeconds <= 0) {
                throw new IllegalArgumentException("mls_group_event_ttl_seconds must be positive, got " + groupEventTtlSeconds);
            }
        }

        public static Mls defaults() {
            return new Mls(false, 3 * 86_400);
        }

        /** Kind 445 events created before this (unix seconds) are past retention. */
        public long groupEventCutoff(long nowSeconds) {
            return nowSeconds - groupEventTtlSeconds;
        }
    }

    /**
     * The external write-policy program (strfry's plugin protocol).
     *
     * @param command {@code write_policy_plugin}: run with {@code sh -c}; empty for none
     * @param timeout {@code write_policy_plugin_timeout_ms}: longest wait for its answer
     * @param failOpen {@code write_policy_plugin_on_failure = accept}: accept when it fails or times out (default: reject)
     */
    public record Plugin(String command, Duration timeout, boolean failOpen) {
        public Plugin {
            Objects.requireNonNull(command, "command");
            if (command.indexOf('\0') >= 0 || command.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("write_policy_plugin must be one line of shell command, without NUL characters");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("write_policy_plugin_timeout_ms must be positive, got " + timeout.toMillis());
            }
        }

        public static Plugin defaults() {
            return new Plugin("", Duration.ofSeconds(2), false);
        }

        public boolean configured() {
            return !command.isBlank();
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String s) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.strip())) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + " must be one of " + allowed + ", got '" + s + "'");
    }

    private static void notNegative(String key, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(key + " must not be negative, got " + v);
        }
    }
}
