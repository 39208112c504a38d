package nostr.relay.store;

/** Receives query results one at a time, in order; returning false stops the query early. */
@FunctionalInterface
public interface EventSink {
    boolean accept(StoredEvent event);
}
