package nostr.relay.store;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nostr.core.event.Event;

/**
 * Which events one reader may see, beyond what its filters ask for: the relay's read
 * restrictions (NIP-42 kinds that need AUTH, NIP-59 gift wraps for their recipients only),
 * applied by the store inside each filter's statement, before its limit, so a REQ's limits count
 * only events the reader may see.
 *
 * <p>An event is visible unless its kind is in {@code hiddenKinds}, or its kind is in
 * {@code recipientKinds} and none of its {@code p} tags (first values) is one of
 * {@code recipients}.
 *
 * @param hiddenKinds kinds never returned to this reader
 * @param recipientKinds kinds returned only to the pubkeys they are p-tagged to
 * @param recipients the reader's pubkeys (64 lowercase hex), e.g. those it authenticated as
 */
public record Visibility(Set<Integer> hiddenKinds, Set<Integer> recipientKinds, Set<String> recipients) {
    /** No restriction. */
    public static final Visibility EVERYTHING = new Visibility(Set.of(), Set.of(), Set.of());

    public Visibility {
        hiddenKinds = Set.copyOf(hiddenKinds);
        recipientKinds = Set.copyOf(recipientKinds);
        recipients = Set.copyOf(recipients);
    }

    /** True when nothing is restricted. */
    public boolean isEverything() {
        return hiddenKinds.isEmpty() && recipientKinds.isEmpty();
    }

    /**
     * This visibility as it concerns a filter that asks only for {@code kinds} (null: any kind):
     * restrictions on other kinds are dropped, so a statement carries only conditions that can matter.
     */
    public Visibility narrowTo(Set<Integer> kinds) {
        if (kinds == null || isEverything()) {
            return this;
        }
        Set<Integer> hidden = new TreeSet<>(hiddenKinds);
        hidden.retainAll(kinds);
        Set<Integer> recipient = new TreeSet<>(recipientKinds);
        recipient.retainAll(kinds);
        if (hidden.isEmpty() && recipient.isEmpty()) {
            return EVERYTHING;
        }
        return new Visibility(hidden, recipient, recipients);
    }

    /** The same rule in memory (live fan-out checks each new event with this). */
    public boolean admits(Event e) {
        return admits(e.kind(), e.tags());
    }

    /** True when an event of {@code kind} with these tags is visible. */
    public boolean admits(int kind, List<List<String>> tags) {
        if (hiddenKinds.contains(kind)) {
            return false;
        }
        if (!recipientKinds.contains(kind)) {
            return true;
        }
        for (List<String> t : tags) {
            if (t.size() >= 2 && t.get(0).equals("p") && recipients.contains(t.get(1))) {
                return true;
            }
        }
        return false;
    }
}
