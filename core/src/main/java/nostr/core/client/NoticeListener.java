package nostr.core.client;

/** Receives the human-readable {@code NOTICE} messages relays send (NIP-01). */
@FunctionalInterface
public interface NoticeListener {

    /**
     * Called on the connection's reader thread for every NOTICE; keep it short.
     *
     * @param relayUrl the relay that sent it
     * @param message its text
     */
    void onNotice(String relayUrl, String message);
}
