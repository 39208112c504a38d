/**
 * NIP-77 negentropy syncing in the relay: {@code NEG-OPEN}/{@code NEG-MSG}/{@code NEG-CLOSE}
 * sessions per connection ({@link nostr.relay.negentropy.NegentropySessions}), run off the reader
 * thread with a concurrency cap ({@link nostr.relay.negentropy.NegentropyService}), over items
 * either from the whole-store in-memory index ({@link nostr.relay.negentropy.NegentropyIndex}) or
 * from a store scan of the filter. The protocol engine itself is core's
 * {@code nostr.core.negentropy.Negentropy}.
 */
package nostr.relay.negentropy;
