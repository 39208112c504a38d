/**
 * {@code bin/parrhesia sync}: reconcile a local store with any NIP-77 relay (negentropy), then fetch
 * what the relay has ({@code down}) and publish what it lacks ({@code up}), verifying every event.
 * {@link nostr.relay.sync.RemoteSync} does the work; where fetched events go is a
 * {@link nostr.relay.sync.LocalSink} (the store directly, or a running local relay).
 */
package nostr.relay.sync;
