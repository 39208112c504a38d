package nostr.relay.store.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import nostr.relay.store.StoredEvent;

/**
 * K-way merge of cursors that are each in NIP-01 order into one cursor in NIP-01 order, with
 * duplicates removed and at most {@code limit} events.
 *
 * <p>Why this works without remembering what was emitted: the order (created_at descending, id
 * ascending) is total and an event's position in it depends only on the event, so every copy of
 * an event, whichever input it comes from, surfaces consecutively. Dropping an event whose id
 * equals the previous one's is exact de-duplication in O(1) memory. Memory is one row per input;
 * inputs are read lazily, so a REQ never materializes its result.
 *
 * <p>The relay uses it twice: per filter, to drop the duplicate rows a tag join yields when an
 * event carries several of the requested values, and across the filters of a REQ (NIP-01: OR).
 */
public final class OrderedMerge implements EventCursor {

    /** NIP-01 order: newest first, then lowest id (lowercase hex compares like the bytes). */
    public static final Comparator<StoredEvent> NIP01_ORDER =
            Comparator.comparingLong(StoredEvent::createdAt).reversed().thenComparing(StoredEvent::id);

    private record Head(StoredEvent event, EventCursor source) {}

    private final List<EventCursor> inputs;
    private final PriorityQueue<Head> heads;
    private long remaining;
    private boolean started;
    private StoredEvent current;

    private OrderedMerge(List<EventCursor> inputs, long limit) {
        this.inputs = List.copyOf(inputs);
        this.heads = new PriorityQueue<>(Math.max(1, inputs.size()), (a, b) -> NIP01_ORDER.compare(a.event, b.event));
        this.remaining = limit;
    }

    /** Merges {@code inputs} (each already in NIP-01 order); the result owns and closes them. */
    public static OrderedMerge of(List<? extends EventCursor> inputs, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return new OrderedMerge(new ArrayList<>(inputs), limit);
    }

    @Override
    public boolean next() throws SQLException {
        if (remaining <= 0) {
            return false;
        }
        if (!started) {
            started = true;
            for (EventCursor in : inputs) {
                advance(in);
            }
        }
        while (!heads.isEmpty()) {
            Head h = heads.poll();
            advance(h.source);
            if (current != null && current.id().equals(h.event.id())) {
                continue;
            }
            current = h.event;
            remaining--;
            return true;
        }
        return false;
    }

    private void advance(EventCursor in) throws SQLException {
        if (in.next()) {
            heads.add(new Head(in.current(), in));
        }
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
        SQLException first = null;
        for (EventCursor in : inputs) {
            try {
                in.close();
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
