package nostr.relay.store.sql;

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
 */
public record IndexedTag(String name, String value) {

    /** The distinct indexed tags of {@code event}, in the order they first occur. */
    public static List<IndexedTag> of(Event event) {
        Set<IndexedTag> out = new LinkedHashSet<>();
        for (List<String> t : event.tags()) {
            String name = t.get(0);
            if (t.size() >= 2 && name.length() == 1 && Filter.isTagLetter(name.charAt(0))) {
                out.add(new IndexedTag(name, t.get(1)));
            }
        }
        return new ArrayList<>(out);
    }
}
