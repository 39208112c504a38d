/**
 * Negentropy set reconciliation (protocol v1; NIP-77 "Negentropy Syncing"): two sides learn which
 * ids each holds that the other lacks, in a few round trips and with traffic proportional to the
 * differences rather than to the sets.
 *
 * <p>{@link nostr.core.negentropy.Negentropy} is the engine for either role;
 * {@link nostr.core.negentropy.NegentropyStorage} is what it reads: items sorted by
 * {@code (timestamp, id)} accessed by index. {@link nostr.core.negentropy.NegentropyArrayStorage}
 * is the ready-made storage (sealed once, immutable, constant-time fingerprints from prefix sums of
 * {@link nostr.core.negentropy.IdSum}); a relay can implement the interface over its own index
 * instead. {@link nostr.core.negentropy.ConformanceHarness} is the reference project's
 * stdin/stdout test harness ({@code bin/negentropy-harness}).
 */
package nostr.core.negentropy;
