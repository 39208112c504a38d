package nostr.relay.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of event kinds written as a list of kinds and inclusive ranges ({@code 1,7,30000-39999}),
 * as operators write them in config keys such as {@code kinds_deny}. Empty means no kind.
 *
 * @param ranges inclusive {@code [from, to]} pairs, each within 0..65535
 */
public record KindSet(List<int[]> ranges) {
    /** No kinds. */
    public static final KindSet EMPTY = new KindSet(List.of());

    public KindSet {
        List<int[]> copy = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            if (r.length != 2 || r[0] < 0 || r[1] > 65535 || r[0] > r[1]) {
                throw new IllegalArgumentException("a kind range must be from..to within 0..65535, got " + java.util.Arrays.toString(r));
            }
            copy.add(new int[] {r[0], r[1]});
        }
        ranges = List.copyOf(copy);
    }

    /**
     * Parses {@code "1, 7, 30000-39999"}; blank text is the empty set.
     *
     * @param key the config key, named in the error message
     */
    public static KindSet parse(String key, String text) {
        List<int[]> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int dash = s.indexOf('-', 1);
            try {
                int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).strip());
                if (from < 0 || to > 65535 || from > to) {
                    throw new IllegalArgumentException(key + ": '" + s + "' is not a kind or a range of kinds within 0..65535");
                }
                out.add(new int[] {from, to});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + s + "' is not a kind or a range like 30000-39999");
            }
        }
        return new KindSet(out);
    }

    /** A set of single kinds. */
    public static KindSet of(int... kinds) {
        List<int[]> out = new ArrayList<>();
        for (int k : kinds) {
            out.add(new int[] {k, k});
        }
        return new KindSet(out);
    }

    public boolean contains(int kind) {
        for (int[] r : ranges) {
            if (kind >= r[0] && kind <= r[1]) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** True when some kind of {@code kinds} is in this set. */
    public boolean containsAny(Iterable<Integer> kinds) {
        for (int k : kinds) {
            if (contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** The single kinds of this set when it holds at most {@code max} of them, else null. */
    public java.util.Set<Integer> enumerate(int max) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (int[] r : ranges) {
            if ((long) out.size() + r[1] - r[0] + 1 > max) {
                return null;
            }
            for (int k = r[0]; k <= r[1]; k++) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KindSet k && toString().equals(k.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** The config spelling: {@code 1,7,30000-39999}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int[] r : ranges) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(r[0]);
            if (r[1] != r[0]) {
                sb.append('-').append(r[1]);
            }
        }
        return sb.toString();
    }
}
