package nostr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nostr.core.filter.Filter;
import picocli.CommandLine.Option;

/** The NIP-01 filter as options, shared by {@code req} and {@code count}. */
final class FilterOptions {

    @Option(names = {"--kind", "-k"}, paramLabel = "N", description = "Kind (repeatable).")
    List<Integer> kinds;

    @Option(names = {"--author", "-a"}, paramLabel = "PUBKEY", description = "Author, hex or npub (repeatable).")
    List<String> authors;

    @Option(names = {"--id", "-i"}, paramLabel = "ID", description = "Event id, hex or note (repeatable).")
    List<String> ids;

    @Option(names = {"--tag", "-t"}, paramLabel = "L=V1,V2",
            description = "Tag condition #L: single letter, comma-separated values, e.g. -t t=nostr (repeatable; "
                    + "e and p values may be note/npub).")
    List<String> tags;

    @Option(names = {"--since", "-s"}, paramLabel = "UNIX", description = "Oldest created_at (inclusive).")
    Long since;

    @Option(names = {"--until", "-u"}, paramLabel = "UNIX", description = "Newest created_at (inclusive).")
    Long until;

    @Option(names = {"--limit", "-l"}, paramLabel = "N", description = "Most stored events to return.")
    Integer limit;

    @Option(names = "--search", paramLabel = "TEXT", description = "NIP-50 search string.")
    String search;

    /** The filter, or a usage error naming the bad option value. */
    Filter build() {
        Filter.Builder b = Filter.builder();
        if (kinds != null) {
            for (int k : kinds) {
                if (k < 0 || k > 65535) {
                    throw CliException.usage("--kind must be between 0 and 65535, got " + k);
                }
            }
            b.kinds(kinds);
        }
        if (authors != null) {
            b.authors(authors.stream().map(a -> Inputs.pubkey(a, "--author")).toList());
        }
        if (ids != null) {
            b.ids(ids.stream().map(i -> Inputs.eventId(i, "--id")).toList());
        }
        if (tags != null) {
            Map<Character, List<String>> byLetter = new LinkedHashMap<>();
            for (String spec : tags) {
                List<String> t = Inputs.tag(spec);
                String name = t.getFirst();
                if (name.length() != 1 || !Filter.isTagLetter(name.charAt(0))) {
                    throw CliException.usage("--tag: filter tags take a single letter a-z or A-Z, got '" + name + "'");
                }
                if (t.size() < 2) {
                    throw CliException.usage("--tag: '" + spec + "' has no values (expected " + name + "=value)");
                }
                char letter = name.charAt(0);
                List<String> values = byLetter.computeIfAbsent(letter, k -> new ArrayList<>());
                for (String v : t.subList(1, t.size())) {
                    values.add(switch (letter) {
                        case 'e' -> Inputs.eventId(v, "--tag e");
                        case 'p' -> Inputs.pubkey(v, "--tag p");
                        default -> v;
                    });
                }
            }
            byLetter.forEach(b::tag);
        }
        if (since != null) {
            nonNegative(since, "--since");
            b.since(since);
        }
        if (until != null) {
            nonNegative(until, "--until");
            b.until(until);
        }
        if (limit != null) {
            nonNegative(limit, "--limit");
            b.limit(limit);
        }
        if (search != null) {
            b.search(search);
        }
        return b.build();
    }

    private static void nonNegative(long v, String option) {
        if (v < 0) {
            throw CliException.usage(option + " must not be negative, got " + v);
        }
    }
}
