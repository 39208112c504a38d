/**
 * What the two SQL adapters share and nothing else: versioned schema migrations, the ordered
 * merge of per-filter cursors that gives a REQ its NIP-01 order, and the rules that decide which
 * tags are indexed. No SQL dialect lives here; each adapter writes its own statements.
 */
package nostr.relay.store.sql;
