package nostr.relay.info;

import java.util.List;
import nostr.core.json.Json;
import nostr.relay.config.Identity;
import nostr.relay.config.Limits;
import nostr.relay.config.NegentropyConfig;

/**
 * The NIP-11 relay information document, served on the relay's URL to requests that accept
 * {@code application/nostr+json}. {@code supported_nips} lists only what this build really
 * implements and tests; {@code limitation} carries every limit the relay enforces, the NIP-11
 * ones under their standard names and the others ({@code max_filters}, {@code max_req_events},
 * {@code max_event_rate}, the {@code negentropy_*} limits of NIP-77) under names of their own,
 * which clients ignore if they do not know them.
 */
public final class RelayInfo {
    /**
     * NIPs this relay implements, each tested on both stores: 1 (protocol), 9 (deletion requests),
     * 11 (this document), 13 (proof of work), 17 (private messages: gift wraps served to their
     * recipients), 40 (expiration), 42 (AUTH), 43 (relay membership), 44 and 59 (encrypted
     * payloads and gift wraps, carried opaquely, readable only by their recipients), 45 (COUNT with
     * HyperLogLog), 50 (search), 62 (requests to vanish), 66 (relay discovery events), 70
     * (protected events), 77 (negentropy syncing; left out when {@code negentropy_enabled} is off),
     * 86 (management API) with its NIP-98 HTTP auth.
     */
    public static final List<Integer> SUPPORTED_NIPS = List.of(1, 9, 11, 13, 17, 40, 42, 43, 44, 45, 50, 59, 62, 66, 70, 77, 86, 98);
    /** NIP-77, listed only while negentropy is on. */
    static final int NEGENTROPY = 77;
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private RelayInfo() {}

    /**
     * The document as compact JSON.
     *
     * @param restrictedWrites true when an allowlist (pubkeys or kinds) is in force
     */
    public static String json(Identity id, Limits limits, boolean restrictedWrites) {
        return json(id, "", limits, restrictedWrites);
    }

    /**
     * The document with the relay's own pubkey as {@code self} (NIP-11: the key the relay signs
     * its own events with, here NIP-43 membership events), left out when empty.
     */
    public static String json(Identity id, String self, Limits limits, boolean restrictedWrites) {
        return json(id, self, limits, restrictedWrites, false, 0, NegentropyConfig.defaults());
    }

    /**
     * The full document.
     *
     * @param self the relay's own pubkey, or ""
     * @param restrictedWrites true when some writes are refused by policy (allowlists, access mode, kinds, AUTH, PoW, plugin)
     * @param authRequired true when every action needs NIP-42 AUTH ({@code auth_required = all})
     * @param minPowDifficulty the global NIP-13 minimum
     * @param negentropy NIP-77 settings: 77 is listed and its limits given only when enabled
     */
    public static String json(Identity id, String self, Limits limits, boolean restrictedWrites, boolean authRequired,
                              int minPowDifficulty, NegentropyConfig negentropy) {
        StringBuilder sb = new StringBuilder(1024).append('{');
        field(sb, "name", id.name());
        field(sb, "description", id.description());
        field(sb, "pubkey", id.pubkey());
        field(sb, "self", self);
        field(sb, "contact", id.contact());
        field(sb, "icon", id.icon());
        sb.append("\"supported_nips\":[");
        String sep = "";
        for (int nip : SUPPORTED_NIPS) {
            if (nip == NEGENTROPY && !negentropy.enabled()) {
                continue;
            }
            sb.append(sep).append(nip);
            sep = ",";
        }
        sb.append("],");
        field(sb, "version", VERSION);
        sb.append("\"limitation\":{")
                .append("\"max_message_length\":").append(limits.maxMessageLength())
                .append(",\"max_subscriptions\":").append(limits.maxSubscriptions())
                .append(",\"max_filters\":").append(limits.maxFilters())
                .append(",\"max_limit\":").append(limits.maxLimit())
                .append(",\"default_limit\":").append(limits.defaultLimit())
                .append(",\"max_subid_length\":").append(limits.maxSubidLength())
                .append(",\"max_event_tags\":").append(limits.maxEventTags())
                .append(",\"max_content_length\":").append(limits.maxContentLength())
                .append(",\"max_req_events\":").append(limits.maxReqEvents());
        if (limits.createdAtLowerLimit() > 0) {
            sb.append(",\"created_at_lower_limit\":").append(limits.createdAtLowerLimit());
        }
        if (limits.createdAtUpperLimit() > 0) {
            sb.append(",\"created_at_upper_limit\":").append(limits.createdAtUpperLimit());
        }
        if (limits.eventRate() > 0) {
            sb.append(",\"max_event_rate\":").append(limits.eventRate());
        }
        if (negentropy.enabled()) {
            sb.append(",\"negentropy_max_sessions\":").append(negentropy.maxSessions())
                    .append(",\"negentropy_max_items\":").append(negentropy.maxItems())
                    .append(",\"negentropy_frame_size_limit\":").append(negentropy.frameSizeLimit())
                    .append(",\"negentropy_idle_timeout\":").append(negentropy.idleTimeout().toSeconds());
        }
        sb.append(",\"min_pow_difficulty\":").append(minPowDifficulty)
                .append(",\"auth_required\":").append(authRequired)
                .append(",\"payment_required\":false")
                .append(",\"restricted_writes\":").append(restrictedWrites)
                .append("}}");
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        sb.append('"').append(name).append("\":");
        Json.appendQuoted(sb, value);
        sb.append(',');
    }
}
