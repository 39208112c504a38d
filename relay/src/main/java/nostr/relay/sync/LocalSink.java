package nostr.relay.sync;

import java.util.List;
import nostr.core.event.Event;

/**
 * Where {@code sync down} puts the events it fetched (already verified): the local store through
 * the import rules, or a running local relay over its WebSocket.
 */
public interface LocalSink extends AutoCloseable {

    /**
     * Writes {@code events} in order.
     *
     * @return one entry per event: null when stored (or already there), else the refusal with its
     *     NIP-01 prefix
     */
    List<String> write(List<Event> events) throws Exception;

    @Override
    default void close() throws Exception {}
}
