package nostr.relay.subscription;

/**
 * Where a subscription's messages go: its connection's bounded outbound queue
 * ({@code nostr.relay.connection.OutboundQueue}).
 */
public interface Outbox {

    /** Queues a message without waiting; false when the connection is closed or just closed as too slow. */
    boolean offer(byte[] message);

    /**
     * Stored phase: waits while the queue is more than half full, up to {@code deadlineNanos}
     * ({@link System#nanoTime()} scale). False when the connection closed or the deadline passed.
     */
    boolean awaitRoom(long deadlineNanos) throws InterruptedException;
}
