package nostr.relay.store.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;

/**
 * One row of a tag index: a single-letter tag name and the tag's first value (NIP-01: "#x" filters
 * match the first value of tags named x). Other tags, and values after the first, are not indexed
 * because no filter can ask for them.
 *
 * <p>Values are normalized to what their UTF-8 encoding decodes back to (a lone surrogate, which a
 * JSON escape can produce, becomes "?" as Java and the database drivers encode it), so that two
 * values the database would store identically are one row, not a primary-key violation that
 * would fail the whole batch.
 */
public record IndexedTag(String name, String value) {

    /** The distinct indexed tags of {@code event}, in the order they first occur. */
    public static List<IndexedTag> of(Event event) {
        Set<IndexedTag> out = new LinkedHashSet<>();
        for (List<String> t : event.tags()) {
            String name = t.get(0);
            if (t.size() >= 2 && name.length() == 1 && Filter.isTagLetter(name.charAt(0))) {
                out.add(new IndexedTag(name, normalized(t.get(1))));
            }
        }
        return new ArrayList<>(out);
    }

    /** {@code value} after a round trip through UTF-8. */
    public static String normalized(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            }
        }
        return value;
    }
}
