package nostr.relay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nostr.core.Hex;
import nostr.core.keys.PublicKey;

/**
 * What the operator runs beside the protocol: who may call the NIP-86 management API and how
 * often the background jobs run. A zero interval switches that job off.
 *
 * @param adminPubkeys pubkeys (64 lowercase hex) allowed to call NIP-86; empty: nobody, every call is refused 403
 * @param expiryPurgeInterval how often events past their NIP-40 expiration are deleted
 * @param vanishScrubInterval how often the store is checked for new NIP-62 requests to vanish and scrubbed after them
 * @param moderationReloadInterval how often the moderation lists and relay settings are read from the store again
 *     (changes made through NIP-86 on this node apply at once; this picks up other cluster nodes' changes)
 * @param kindRetention kind to how long its events are kept (e.g. MLS group messages, kind 445); empty: forever
 * @param retentionPurgeInterval how often events past their kind's retention are deleted
 */
public record Operations(Set<String> adminPubkeys, Duration expiryPurgeInterval, Duration vanishScrubInterval,
                         Duration moderationReloadInterval, Map<Integer, Duration> kindRetention,
                         Duration retentionPurgeInterval) {

    public Operations {
        adminPubkeys = Set.copyOf(new LinkedHashSet<>(adminPubkeys));
        for (String pk : adminPubkeys) {
            if (!Hex.isLowerHex(pk, 64)) {
                throw new IllegalArgumentException("admin_pubkeys: '" + pk + "' is not 64 lowercase hex characters");
            }
        }
        notNegative("expiry_purge_interval_seconds", expiryPurgeInterval);
        notNegative("vanish_scrub_interval_seconds", vanishScrubInterval);
        notNegative("moderation_reload_interval_seconds", moderationReloadInterval);
        notNegative("retention_purge_interval_seconds", retentionPurgeInterval);
        kindRetention = Map.copyOf(kindRetention);
        for (Map.Entry<Integer, Duration> e : kindRetention.entrySet()) {
            if (e.getKey() < 0 || e.getKey() > 65535) {
                throw new IllegalArgumentException("kind_retention: kind " + e.getKey() + " is not 0..65535");
            }
            if (e.getValue().toSeconds() <= 0) {
                throw new IllegalArgumentException("kind_retention: the retention of kind " + e.getKey() + " must be positive");
            }
        }
    }

    /**
     * No admins; expiry purge every minute, vanish scrub every 10 minutes, moderation reload every
     * minute; no kind retention (retention purge hourly once one is set).
     */
    public static Operations defaults() {
        return new Operations(Set.of(), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(60), Map.of(),
                Duration.ofHours(1));
    }

    public Operations withAdminPubkeys(Set<String> pubkeys) {
        return new Operations(pubkeys, expiryPurgeInterval, vanishScrubInterval, moderationReloadInterval, kindRetention,
                retentionPurgeInterval);
    }

    /** These job intervals (zero switches a job off); admins and retention unchanged. */
    public Operations withIntervals(Duration expiryPurge, Duration vanishScrub, Duration moderationReload,
                                    Duration retentionPurge) {
        return new Operations(adminPubkeys, expiryPurge, vanishScrub, moderationReload, kindRetention, retentionPurge);
    }

    public Operations withKindRetention(Map<Integer, Duration> retention) {
        return new Operations(adminPubkeys, expiryPurgeInterval, vanishScrubInterval, moderationReloadInterval, retention,
                retentionPurgeInterval);
    }

    /**
     * Parses {@code kind_retention}: comma-separated {@code kind:duration} pairs, the duration a
     * number with an optional unit {@code s}, {@code m}, {@code h} or {@code d} (seconds without
     * one), e.g. {@code 445:7d,20001:1h}.
     *
     * @throws IllegalArgumentException naming the entry that does not parse
     */
    public static Map<Integer, Duration> parseKindRetention(String value) {
        Map<Integer, Duration> out = new java.util.TreeMap<>();
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            try {
                if (colon < 0) {
                    throw new NumberFormatException("no ':'");
                }
                int kind = Integer.parseInt(entry.substring(0, colon).strip());
                String d = entry.substring(colon + 1).strip().toLowerCase(java.util.Locale.ROOT);
                long unit = switch (d.isEmpty() ? ' ' : d.charAt(d.length() - 1)) {
                    case 's' -> 1;
                    case 'm' -> 60;
                    case 'h' -> 3600;
                    case 'd' -> 86400;
                    default -> 0;
                };
                long n = Long.parseLong(unit == 0 ? d : d.substring(0, d.length() - 1).strip());
                Duration retention = Duration.ofSeconds(Math.multiplyExact(n, unit == 0 ? 1 : unit));
                if (out.put(kind, retention) != null) {
                    throw new IllegalArgumentException("kind_retention: kind " + kind + " is listed twice");
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("kind_retention: '" + entry
                        + "' is not kind:duration (e.g. 445:7d; units s, m, h, d)");
            }
        }
        return out;
    }

    /**
     * Parses the {@code admin_pubkeys} value: comma- or space-separated pubkeys, each 64 hex
     * characters or an {@code npub1...}, and a point on the curve; hex is lowercased.
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static Set<String> parseAdminPubkeys(String value) {
        List<String> out = new ArrayList<>();
        for (String raw : value.split("[,\\s]+")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                out.add(PublicKey.parse(entry).hex());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("admin_pubkeys: '" + entry
                        + "' is not a public key (64 hex characters or npub1...): " + e.getMessage());
            }
        }
        return new LinkedHashSet<>(out);
    }

    private static void notNegative(String key, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, got " + d.toSeconds());
        }
    }
}
