package nostr.relay.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import nostr.blossom.server.MirrorSources;

/**
 * Builds a {@link RelayConfig} from four sources, first hit wins: command-line flags, environment
 * variables ({@code PARRHESIA_} + the key in upper case), the config file, the defaults.
 *
 * <p>The config file is a Java properties file ({@code key = value}, {@code #} comments) named by
 * {@code --config} or {@code PARRHESIA_CONFIG}; there is none by default. Keys are the same in all
 * three places (flags spell {@code _} as {@code -}). Unknown keys in the file are errors, so a
 * typo never silently leaves a default in place.
 */
public final class ConfigLoader {
    /** Environment variables are this prefix plus the key in upper case. */
    public static final String ENV_PREFIX = "PARRHESIA_";

    /** Every key, in the order the README lists them. */
    public static final List<String> KEYS = List.of(
            "host", "port", "data_dir", "store", "postgres_url",
            "name", "description", "pubkey", "contact", "icon",
            "max_message_length", "max_subscriptions", "max_filters", "max_limit", "default_limit",
            "max_subid_length", "max_event_tags", "max_content_length", "max_req_events",
            "created_at_lower_limit", "created_at_upper_limit", "event_rate", "event_burst",
            "verify_threads", "writer_queue", "writer_batch", "max_concurrent_queries", "query_time_budget_ms",
            "max_outbound_bytes", "max_inflight_events", "idle_timeout_seconds", "ping_interval_seconds",
            "admin_pubkeys", "expiry_purge_interval_seconds", "vanish_scrub_interval_seconds",
            "moderation_reload_interval_seconds", "kind_retention", "retention_purge_interval_seconds",
            "blossom_enabled", "blossom_dir", "blossom_max_size", "blossom_quota_bytes", "blossom_allowed_uploaders",
            "blossom_public_url", "blossom_mirror_sources", "blossom_fsync", "blossom_direct_io_min",
            "relay_url", "relay_secret_key_file", "membership_invites", "invite_ttl_seconds",
            "trust_proxy", "auth_required", "auth_required_write_kinds", "auth_required_read_kinds",
            "auth_window_seconds", "access_mode", "kinds_allow", "kinds_deny", "min_pow_difficulty",
            "min_pow_difficulty_kinds", "pow_require_commitment", "ip_event_rate", "ip_event_burst",
            "pubkey_event_rate", "pubkey_event_burst", "ip_connection_rate", "ip_connection_burst", "giftwrap_reads",
            "mls_enabled", "mls_group_event_ttl_seconds", "write_policy_plugin", "write_policy_plugin_timeout_ms",
            "write_policy_plugin_on_failure",
            "nats_url", "cluster_name", "node_id", "cluster_poll_interval_ms", "cluster_journal_retention_seconds",
            "negentropy_enabled", "max_neg_sessions", "max_neg_items", "neg_frame_size_limit", "neg_idle_timeout_seconds",
            "neg_index_max_items", "neg_index_rebuild_interval_seconds");

    private ConfigLoader() {}

    /** The environment variable of {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT);
    }

    /**
     * Loads the configuration.
     *
     * @param flags values given on the command line, by key ({@code config} for the file)
     * @param env the process environment
     */
    public static RelayConfig load(Map<String, String> flags, Map<String, String> env) throws ConfigException {
        String fileName = flags.get("config");
        String fileOrigin = "--config";
        if (fileName == null) {
            fileName = env.get(ENV_PREFIX + "CONFIG");
            fileOrigin = "environment " + ENV_PREFIX + "CONFIG";
        }
        Properties file = new Properties();
        Path path = null;
        if (fileName != null) {
            path = Path.of(fileName);
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + path + " (" + fileOrigin + "): " + e.getMessage());
            }
            Set<String> unknown = new TreeSet<>(file.stringPropertyNames());
            unknown.removeAll(KEYS);
            if (!unknown.isEmpty()) {
                throw new ConfigException("unknown key(s) in config file " + path + ": " + String.join(", ", unknown)
                        + " (known keys: " + String.join(", ", KEYS) + ")");
            }
        }
        for (String k : flags.keySet()) {
            if (!k.equals("config") && !KEYS.contains(k)) {
                throw new ConfigException("unknown flag key '" + k + "'");
            }
        }
        Values v = new Values(flags, env, file, path);
        RelayConfig d = RelayConfig.defaults();
        Limits dl = d.limits();
        Tuning dt = d.tuning();
        Identity di = d.identity();
        try {
            int maxLimit = v.integer("max_limit", dl.maxLimit());
            Limits limits = new Limits(
                    v.integer("max_message_length", dl.maxMessageLength()),
                    v.integer("max_subscriptions", dl.maxSubscriptions()),
                    v.integer("max_filters", dl.maxFilters()),
                    maxLimit,
                    v.integer("default_limit", Math.min(dl.defaultLimit(), maxLimit)),
                    v.integer("max_subid_length", dl.maxSubidLength()),
                    v.integer("max_event_tags", dl.maxEventTags()),
                    v.integer("max_content_length", dl.maxContentLength()),
                    v.integer("max_req_events", dl.maxReqEvents()),
                    v.longValue("created_at_lower_limit", dl.createdAtLowerLimit()),
                    v.longValue("created_at_upper_limit", dl.createdAtUpperLimit()),
                    v.integer("event_rate", dl.eventRate()),
                    v.integer("event_burst", dl.eventBurst()));
            Tuning tuning = new Tuning(
                    v.integer("verify_threads", dt.verifyThreads()),
                    v.integer("writer_queue", dt.writerQueue()),
                    v.integer("writer_batch", dt.writerBatch()),
                    v.integer("max_concurrent_queries", dt.maxConcurrentQueries()),
                    Duration.ofMillis(v.longValue("query_time_budget_ms", dt.queryTimeBudget().toMillis())),
                    v.longValue("max_outbound_bytes", dt.maxOutboundBytes()),
                    v.integer("max_inflight_events", dt.maxInflightEvents()),
                    Duration.ofSeconds(v.longValue("idle_timeout_seconds", dt.idleTimeout().toSeconds())),
                    Duration.ofSeconds(v.longValue("ping_interval_seconds", dt.pingInterval().toSeconds())));
            Identity identity = new Identity(
                    v.text("name", di.name()),
                    v.text("description", di.description()),
                    v.text("pubkey", di.pubkey()),
                    v.text("contact", di.contact()),
                    v.text("icon", di.icon()));
            Operations dops = d.operations();
            Operations operations = new Operations(
                    Operations.parseAdminPubkeys(v.text("admin_pubkeys", "")),
                    Duration.ofSeconds(v.longValue("expiry_purge_interval_seconds", dops.expiryPurgeInterval().toSeconds())),
                    Duration.ofSeconds(v.longValue("vanish_scrub_interval_seconds", dops.vanishScrubInterval().toSeconds())),
                    Duration.ofSeconds(v.longValue("moderation_reload_interval_seconds",
                            dops.moderationReloadInterval().toSeconds())),
                    Operations.parseKindRetention(v.text("kind_retention", "")),
                    Duration.ofSeconds(v.longValue("retention_purge_interval_seconds",
                            dops.retentionPurgeInterval().toSeconds())));
            BlossomConfig db = d.blossom();
            String blobDir = v.text("blossom_dir", "");
            BlossomConfig blossom = new BlossomConfig(
                    v.bool("blossom_enabled", db.enabled()),
                    blobDir.isBlank() ? null : path("blossom_dir", blobDir.strip()),
                    v.longValue("blossom_max_size", db.maxSize()),
                    v.longValue("blossom_quota_bytes", db.quotaBytes()),
                    v.list("blossom_allowed_uploaders"),
                    v.text("blossom_public_url", db.publicUrl()).strip(),
                    MirrorSources.parse(v.text("blossom_mirror_sources", "public")),
                    v.bool("blossom_fsync", db.fsync()),
                    v.longValue("blossom_direct_io_min", db.directIoMin()));
            PolicyConfig dp = d.policy();
            PolicyConfig.Auth da = dp.auth();
            PolicyConfig.Rates dr = dp.rates();
            PolicyConfig.Plugin dpl = dp.plugin();
            PolicyConfig policy = new PolicyConfig(
                    v.bool("trust_proxy", dp.trustProxy()),
                    new PolicyConfig.Auth(
                            PolicyConfig.AuthMode.parse(v.text("auth_required", da.mode().name())),
                            KindSet.parse("auth_required_write_kinds", v.text("auth_required_write_kinds", da.writeKinds().toString())),
                            KindSet.parse("auth_required_read_kinds", v.text("auth_required_read_kinds", da.readKinds().toString())),
                            v.longValue("auth_window_seconds", da.windowSeconds())),
                    PolicyConfig.AccessMode.parse(v.text("access_mode", dp.accessMode().name())),
                    KindSet.parse("kinds_allow", v.text("kinds_allow", dp.kindsAllow().toString())),
                    KindSet.parse("kinds_deny", v.text("kinds_deny", dp.kindsDeny().toString())),
                    new PolicyConfig.Pow(
                            v.integer("min_pow_difficulty", dp.pow().minDifficulty()),
                            PolicyConfig.Pow.parsePerKind(v.text("min_pow_difficulty_kinds", "")),
                            v.bool("pow_require_commitment", dp.pow().requireCommitment())),
                    new PolicyConfig.Rates(
                            v.integer("ip_event_rate", dr.ipEventRate()),
                            v.integer("ip_event_burst", dr.ipEventBurst()),
                            v.integer("pubkey_event_rate", dr.pubkeyEventRate()),
                            v.integer("pubkey_event_burst", dr.pubkeyEventBurst()),
                            v.integer("ip_connection_rate", dr.ipConnectionRate()),
                            v.integer("ip_connection_burst", dr.ipConnectionBurst())),
                    PolicyConfig.GiftWrapReads.parse(v.text("giftwrap_reads", dp.giftWrapReads().name())),
                    new PolicyConfig.Mls(
                            v.bool("mls_enabled", dp.mls().enabled()),
                            v.longValue("mls_group_event_ttl_seconds", dp.mls().groupEventTtlSeconds())),
                    new PolicyConfig.Plugin(
                            v.text("write_policy_plugin", dpl.command()),
                            Duration.ofMillis(v.longValue("write_policy_plugin_timeout_ms", dpl.timeout().toMillis())),
                            pluginFailOpen(v.text("write_policy_plugin_on_failure", dpl.failOpen() ? "accept" : "reject"))));
            NegentropyConfig dn = d.negentropy();
            NegentropyConfig negentropy = new NegentropyConfig(
                    v.bool("negentropy_enabled", dn.enabled()),
                    v.integer("max_neg_sessions", dn.maxSessions()),
                    v.integer("max_neg_items", dn.maxItems()),
                    v.integer("neg_frame_size_limit", dn.frameSizeLimit()),
                    Duration.ofSeconds(v.longValue("neg_idle_timeout_seconds", dn.idleTimeout().toSeconds())),
                    v.longValue("neg_index_max_items", dn.indexMaxItems()),
                    Duration.ofSeconds(v.longValue("neg_index_rebuild_interval_seconds", dn.indexRebuildInterval().toSeconds())));
            ClusterConfig dc = d.cluster();
            ClusterConfig cluster = new ClusterConfig(
                    v.text("nats_url", dc.natsUrl()),
                    v.text("cluster_name", dc.clusterName()).strip(),
                    v.text("node_id", dc.nodeId()).strip(),
                    Duration.ofMillis(v.longValue("cluster_poll_interval_ms", dc.pollInterval().toMillis())),
                    Duration.ofSeconds(v.longValue("cluster_journal_retention_seconds", dc.journalRetention().toSeconds())));
            return new RelayConfig(
                    v.text("host", d.host()),
                    v.integer("port", d.port()),
                    Path.of(v.text("data_dir", d.dataDir().toString())),
                    StoreKind.parse(v.text("store", d.store().key())),
                    v.text("postgres_url", d.postgresUrl()),
                    identity, limits, tuning, operations, blossom,
                    v.text("relay_url", d.relayUrl()),
                    v.text("relay_secret_key_file", d.relaySecretKeyFile()),
                    new MembershipSettings(
                            MembershipSettings.InvitePolicy.parse(v.text("membership_invites", d.membership().invites().key())),
                            Duration.ofSeconds(v.longValue("invite_ttl_seconds", d.membership().inviteTtl().toSeconds()))),
                    policy, cluster, negentropy);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage() + v.originNote(e.getMessage()));
        }
    }

    private static Path path(String key, String value) {
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(key + " is not a valid path: " + e.getMessage());
        }
    }

    private static boolean pluginFailOpen(String s) {
        return switch (s.strip()) {
            case "accept" -> true;
            case "reject" -> false;
            default -> throw new IllegalArgumentException(
                    "write_policy_plugin_on_failure must be 'reject' or 'accept', got '" + s + "'");
        };
    }

    /** Looks a key up in the sources in precedence order and remembers where values came from. */
    private static final class Values {
        private final Map<String, String> flags;
        private final Map<String, String> env;
        private final Properties file;
        private final Path path;
        private final Map<String, String> origins = new HashMap<>();

        Values(Map<String, String> flags, Map<String, String> env, Properties file, Path path) {
            this.flags = flags;
            this.env = env;
            this.file = file;
            this.path = path;
        }

        /** The configured text and its origin, or null when the key is not set anywhere. */
        private String[] lookup(String key) {
            if (flags.containsKey(key)) {
                return new String[] {flags.get(key), "flag --" + key.replace('_', '-')};
            }
            String e = env.get(envName(key));
            if (e != null) {
                return new String[] {e, "environment " + envName(key)};
            }
            String f = file.getProperty(key);
            if (f != null) {
                return new String[] {f.strip(), "config file " + path + " key " + key};
            }
            return null;
        }

        String text(String key, String dflt) {
            String[] hit = lookup(key);
            if (hit == null) {
                return dflt;
            }
            origins.put(key, hit[1]);
            return hit[0];
        }

        long longValue(String key, long dflt) throws ConfigException {
            String[] hit = lookup(key);
            if (hit == null) {
                return dflt;
            }
            origins.put(key, hit[1]);
            try {
                return Long.parseLong(hit[0].strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be an integer, got '" + hit[0] + "' (from " + hit[1] + ")");
            }
        }

        boolean bool(String key, boolean dflt) throws ConfigException {
            String[] hit = lookup(key);
            if (hit == null) {
                return dflt;
            }
            origins.put(key, hit[1]);
            return switch (hit[0].strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new ConfigException(key + " must be true or false, got '" + hit[0] + "' (from " + hit[1] + ")");
            };
        }

        /** A comma- or space-separated list; empty when unset. */
        Set<String> list(String key) {
            String v = text(key, "");
            Set<String> out = new TreeSet<>();
            for (String s : v.split("[,\\s]+")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }

        int integer(String key, int dflt) throws ConfigException {
            long l = longValue(key, dflt);
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new ConfigException(key + " is out of range: " + l + " (from " + lookup(key)[1] + ")");
            }
            return (int) l;
        }

        /** " (from <origin>)" for the key a validation message starts with, if it was configured. */
        String originNote(String message) {
            for (Map.Entry<String, String> e : origins.entrySet()) {
                if (message.startsWith(e.getKey() + " ") || message.startsWith(e.getKey() + ":")) {
                    return " (from " + e.getValue() + ")";
                }
            }
            return "";
        }
    }
}
