package nostr.relay.ingest;

/** Receives the NIP-01 OK answer for a submitted event (once per event, from any thread). */
@FunctionalInterface
public interface OkSink {
    /**
     * @param message "" or a NIP-01 machine prefix ({@code duplicate:}, {@code invalid:},
     *     {@code error:} ...) and a human-readable reason
     */
    void ok(String eventId, boolean accepted, String message);
}
