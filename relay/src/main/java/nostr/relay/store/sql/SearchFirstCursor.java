package nostr.relay.store.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nostr.relay.store.StoredEvent;

/**
 * The result of a REQ that mixes NIP-50 search filters with plain ones: first each search
 * filter's results in its own rank order (NIP-50: ordered by relevance, limit applied after
 * ranking), then the plain filters' results in NIP-01 order, every event once, at most
 * {@code limit} in all. Remembering the ids already sent costs memory bounded by the search
 * filters' limits; the plain part de-duplicates itself ({@link OrderedMerge}).
 */
public final class SearchFirstCursor implements EventCursor {
    private final List<EventCursor> ranked;
    private final EventCursor ordered;
    private final Set<String> sent = new HashSet<>();
    private long remaining;
    private int index;
    private StoredEvent current;

    public SearchFirstCursor(List<EventCursor> ranked, EventCursor ordered, long limit) {
        this.ranked = new ArrayList<>(ranked);
        this.ordered = ordered;
        this.remaining = limit;
    }

    @Override
    public boolean next() throws SQLException {
        while (remaining > 0) {
            EventCursor source = index < ranked.size() ? ranked.get(index) : ordered;
            if (!source.next()) {
                if (source == ordered) {
                    return false;
                }
                index++;
                continue;
            }
            StoredEvent e = source.current();
            boolean fresh = source == ordered ? !sent.contains(e.id()) : sent.add(e.id());
            if (fresh) {
                current = e;
                remaining--;
                return true;
            }
        }
        return false;
    }

    @Override
    public StoredEvent current() {
        if (current == null) {
            throw new IllegalStateException("next() has not returned true");
        }
        return current;
    }

    @Override
    public void close() throws SQLException {
        List<EventCursor> all = new ArrayList<>(ranked);
        all.add(ordered);
        SQLException first = null;
        for (EventCursor c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
