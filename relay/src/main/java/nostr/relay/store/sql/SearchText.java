package nostr.relay.store.sql;

import java.util.Set;
import nostr.core.event.Event;

/**
 * What of an event the NIP-50 full-text index holds: its content (NIP-50: relays SHOULD match
 * against content), except for kinds whose content NIPs define as ciphertext (NIP-04 direct
 * messages, NIP-59 seals and gift wraps), which only bloat an index. NUL characters become spaces
 * (PostgreSQL text cannot hold them) and very long contents are cut, which keeps a tsvector under
 * PostgreSQL's 1 MB limit.
 */
public final class SearchText {
    /** Kinds whose content is ciphertext: 4 (NIP-04), 13 (seal), 1059 (gift wrap). */
    public static final Set<Integer> NOT_INDEXED_KINDS = Set.of(4, 13, 1059);
    /** The most characters of a content that are indexed. */
    public static final int MAX_CHARS = 100_000;

    private SearchText() {}

    /** The text to index for {@code e}, or null when it has none. */
    public static String of(Event e) {
        if (NOT_INDEXED_KINDS.contains(e.kind()) || e.content().isBlank()) {
            return null;
        }
        String c = e.content();
        if (c.length() > MAX_CHARS) {
            int end = Character.isHighSurrogate(c.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
            c = c.substring(0, end);
        }
        return c.indexOf('\0') >= 0 ? c.replace('\0', ' ') : c;
    }
}
