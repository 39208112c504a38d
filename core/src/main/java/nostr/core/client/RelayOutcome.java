package nostr.core.client;

/**
 * What one relay of a {@link RelayPool} answered to a request: a value, or the error it failed with.
 *
 * @param <T> the answer type ({@link PublishResult}, {@link CountResult})
 */
public sealed interface RelayOutcome<T> {

    /** The relay this outcome is for. */
    String relayUrl();

    /**
     * The relay answered.
     *
     * @param relayUrl the relay
     * @param value its answer
     */
    record Success<T>(String relayUrl, T value) implements RelayOutcome<T> {}

    /**
     * The relay gave no answer: unreachable, timed out, refused, connection lost.
     *
     * @param relayUrl the relay
     * @param error why
     */
    record Failure<T>(String relayUrl, RelayException error) implements RelayOutcome<T> {}
}
