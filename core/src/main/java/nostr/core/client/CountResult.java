package nostr.core.client;

/**
 * A relay's answer to a NIP-45 {@code COUNT} request.
 *
 * @param relayUrl the relay that answered
 * @param count the number of matching events
 * @param approximate true when the relay said the count is probabilistic
 * @param hll the relay's hex HyperLogLog registers, or null when it sent none
 */
public record CountResult(String relayUrl, long count, boolean approximate, String hll) {}
