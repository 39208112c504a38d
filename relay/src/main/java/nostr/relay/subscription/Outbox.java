package nostr.relay.subscription;

/**
 * Where a subscription's messages go: its connection's bounded outbound queue
 * ({@code nostr.relay.connection.OutboundQueue}).
 */
public interface Outbox {

    /** Queues a message without waiting; false when the connection is closed or just closed as too slow. */
    boolean offer(byte[] message);

    /**
     * Queues a message like {@link #offer} but does not start sending it: the caller batches
     * many messages and then calls {@link #flush} once (fan-out: one write per connection for
     * a whole batch of events).
     */
    boolean offerDeferred(byte[] message);

    /** Starts sending what {@link #offerDeferred} queued. */
    void flush();

    /**
     * Stored phase: waits while the queue is more than half full, up to {@code deadlineNanos}
     * ({@link System#nanoTime()} scale). False when the connection closed or the deadline passed.
     */
    boolean awaitRoom(long deadlineNanos) throws InterruptedException;
}
