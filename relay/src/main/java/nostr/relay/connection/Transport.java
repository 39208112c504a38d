package nostr.relay.connection;

import java.util.List;

/**
 * Where a {@link Connection}'s outgoing text messages go: a WebSocket in the relay
 * ({@code nostr.relay.edge}), a list in unit tests. Calls to {@link #send} come from one thread
 * at a time and must be written in call order.
 */
public interface Transport {

    /**
     * Writes complete text messages (UTF-8 JSON) in order, after everything sent before. Must not
     * block for the network. {@code done} runs once, when they are written or writing failed.
     */
    void send(List<byte[]> messages, Runnable done);

    /** Closes the connection with a WebSocket close code and a short reason (at most 123 bytes). */
    void close(int code, String reason);

    /** The client's address (normalized IP literal), or "" when unknown. */
    default String clientIp() {
        return "";
    }
}
