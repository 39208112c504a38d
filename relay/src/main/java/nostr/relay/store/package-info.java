/**
 * The storage port: the relay's only road to persistence. Everything outside an adapter package
 * ({@code nostr.relay.store.sqlite}, {@code nostr.relay.store.postgres}) speaks these
 * interfaces and never SQL. One contract test suite runs against every adapter.
 *
 * <p>Durability contract: when {@link nostr.relay.store.EventStore#write} returns, every event it
 * reports {@link nostr.relay.store.WriteStatus#STORED} is committed and survives a kill -9.
 */
package nostr.relay.store;
