package nostr.core.client;

/** An open subscription (NIP-01 {@code REQ}) on one relay or across a pool. */
public interface Subscription extends AutoCloseable {

    /** The subscription id sent to the relay (for a pool, a local id). */
    String id();

    /** Ends the subscription: sends {@code CLOSE} to every relay still serving it. Idempotent. */
    @Override
    void close();
}
