package nostr.relay.admin;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import nostr.relay.config.Identity;
import nostr.relay.store.AdminStore;
import nostr.relay.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay identity the NIP-11 document shows: the configured one, with the name, description
 * and icon set through NIP-86 ({@code changerelayname} and friends, kept in the store's settings)
 * taking precedence. Read on every NIP-11 request without touching the store; {@link #reload()}
 * takes a fresh copy (after a change on this node at once, and periodically for other nodes).
 */
public final class RelaySettings {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySettings.class);

    private final Identity configured;
    private final AdminStore store;
    private final AtomicReference<Identity> current;

    public RelaySettings(Identity configured, AdminStore store) {
        this.configured = configured;
        this.store = store;
        this.current = new AtomicReference<>(configured);
    }

    /** The identity to advertise now. */
    public Identity identity() {
        return current.get();
    }

    /** Reads the settings again; on a store failure the previous identity stays (logged). */
    public void reload() {
        try {
            current.set(merge(configured, store.settings()));
        } catch (StoreException | RuntimeException e) {
            LOG.warn("could not read the relay settings, keeping the previous ones: {}", e.toString());
        }
    }

    /** The configured identity with the stored settings over it. */
    static Identity merge(Identity configured, Map<String, String> settings) {
        return new Identity(
                settings.getOrDefault(AdminStore.NAME, configured.name()),
                settings.getOrDefault(AdminStore.DESCRIPTION, configured.description()),
                configured.pubkey(),
                configured.contact(),
                settings.getOrDefault(AdminStore.ICON, configured.icon()));
    }
}
