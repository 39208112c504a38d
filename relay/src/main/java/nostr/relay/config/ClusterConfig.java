package nostr.relay.config;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Cluster mode: several relay nodes sharing one PostgreSQL store exchange accepted events over an
 * external NATS server (see the "Cluster" section of relay/README.md). Off unless {@code nats_url}
 * is set.
 *
 * @param natsUrl NATS server URL(s), comma-separated ({@code nats://host:4222}); "" = cluster mode off
 * @param clusterName names the NATS subjects ({@code parrhesia.<cluster_name>.events}): nodes with the
 *     same name and database form one cluster
 * @param nodeId this node's name, unique among the running nodes ("" = {@code <hostname>:<port>}, see
 *     {@link #resolvedNodeId})
 * @param pollInterval how often the node reads the commit journal's heads to catch up what NATS did
 *     not bring
 * @param journalRetention how long commit journal entries are kept for catching up
 */
public record ClusterConfig(String natsUrl, String clusterName, String nodeId, Duration pollInterval,
                            Duration journalRetention) {
    private static final Pattern URL = Pattern.compile("(?i)(nats|tls)://([^\\s/@]+@)?[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?/?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public ClusterConfig {
        Objects.requireNonNull(natsUrl, "natsUrl");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(journalRetention, "journalRetention");
        natsUrl = natsUrl.strip();
        if (!natsUrl.isEmpty()) {
            for (String u : natsUrl.split(",")) {
                if (!URL.matcher(u.strip()).matches()) {
                    throw new IllegalArgumentException("nats_url must be nats://host:port (or tls://, several separated by "
                            + "commas), got '" + redact(u.strip()) + "'");
                }
            }
        }
        if (!NAME.matcher(clusterName).matches()) {
            throw new IllegalArgumentException("cluster_name must be 1 to 64 letters, digits, '_' or '-' (it is part of "
                    + "NATS subject names), got '" + clusterName + "'");
        }
        if (!nodeId.isEmpty() && !NODE.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node_id must be 1 to 128 letters, digits, '.', '_', ':' or '-', got '"
                    + nodeId + "'");
        }
        if (pollInterval.toMillis() < 10 || pollInterval.toMillis() > 60_000) {
            throw new IllegalArgumentException("cluster_poll_interval_ms must be 10..60000, got " + pollInterval.toMillis());
        }
        if (journalRetention.toSeconds() < 10) {
            throw new IllegalArgumentException("cluster_journal_retention_seconds must be at least 10, got "
                    + journalRetention.toSeconds());
        }
    }

    /** Cluster mode off, with the defaults for the other settings. */
    public static ClusterConfig defaults() {
        return new ClusterConfig("", "parrhesia", "", Duration.ofSeconds(1), Duration.ofHours(1));
    }

    /** True when {@code nats_url} is set. */
    public boolean enabled() {
        return !natsUrl.isEmpty();
    }

    public ClusterConfig withNatsUrl(String url) {
        return new ClusterConfig(url, clusterName, nodeId, pollInterval, journalRetention);
    }

    public ClusterConfig withNodeId(String id) {
        return new ClusterConfig(natsUrl, clusterName, id, pollInterval, journalRetention);
    }

    public ClusterConfig withPollInterval(Duration d) {
        return new ClusterConfig(natsUrl, clusterName, nodeId, d, journalRetention);
    }

    /**
     * {@code node_id}, or by default {@code <hostname>:<port>} (stable across restarts); with port 0
     * the port part is random, so every start is a new node.
     */
    public String resolvedNodeId(int configuredPort) {
        if (!nodeId.isEmpty()) {
            return nodeId;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (host.length() > 100) {
            host = host.substring(0, 100);
        }
        String port = configuredPort > 0 ? String.valueOf(configuredPort)
                : HexFormat.of().toHexDigits(new java.security.SecureRandom().nextInt());
        return host + ":" + port;
    }

    /** The URL(s) with any password replaced by {@code ***}, for logs and messages. */
    public String redactedUrl() {
        return redact(natsUrl);
    }

    /** {@code text} with the password of every URL in it replaced by {@code ***}. */
    public static String redact(String url) {
        return url.replaceAll("//([^:/@,\\s]+):[^@/,\\s]*@", "//$1:***@");
    }
}
