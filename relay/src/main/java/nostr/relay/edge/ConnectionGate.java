package nostr.relay.edge;

/**
 * Decides, before the WebSocket upgrade, whether a client address may open a connection at all
 * (blocked addresses, new connections per address). Refused upgrades get a plain HTTP answer.
 */
@FunctionalInterface
public interface ConnectionGate {
    /** Lets everyone in. */
    ConnectionGate OPEN = ip -> null;

    /** Null to accept a connection from {@code clientIp} (normalized; "" when unknown), else why not. */
    Refusal check(String clientIp);

    /**
     * A refused upgrade.
     *
     * @param status the HTTP status (403 for a blocked address, 429 for too many connections)
     * @param reason a short text body
     * @param metric the label of {@code parrhesia_connections_refused_total}
     */
    record Refusal(int status, String reason, String metric) {}
}
