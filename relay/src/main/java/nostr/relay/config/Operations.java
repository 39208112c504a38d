package nostr.relay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 */
public record Operations(Set<String> adminPubkeys, Duration expiryPurgeInterval, Duration vanishScrubInterval,
                         Duration moderationReloadInterval) {

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
    }

    /** No admins; expiry purge every minute, vanish scrub every 10 minutes, moderation reload every minute. */
    public static Operations defaults() {
        return new Operations(Set.of(), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(60));
    }

    public Operations withAdminPubkeys(Set<String> pubkeys) {
        return new Operations(pubkeys, expiryPurgeInterval, vanishScrubInterval, moderationReloadInterval);
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
