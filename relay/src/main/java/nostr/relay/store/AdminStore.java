package nostr.relay.store;

import java.util.List;
import java.util.Map;

/**
 * Relay settings changed at run time (NIP-86 {@code changerelayname} and friends, overriding the
 * config file) and the queue of events reported for moderation. Durable on return.
 */
public interface AdminStore {

    /** Setting keys NIP-86 changes. */
    String NAME = "name";
    String DESCRIPTION = "description";
    String ICON = "icon";

    void putSetting(String key, String value) throws StoreException;

    /** Every stored setting. */
    Map<String, String> settings() throws StoreException;

    /** Queues an event for moderator review (e.g. reported by a NIP-56 report). */
    void flagEvent(String id, String reason) throws StoreException;

    /** Removes an event from the queue. */
    void unflagEvent(String id) throws StoreException;

    /** NIP-86 {@code listeventsneedingmoderation}. */
    List<Listed> eventsNeedingModeration() throws StoreException;
}
