package nostr.core.filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A NIP-01 subscription filter. Absent fields are null and match everything; a present list
 * matches when it contains the event's value; an empty list matches nothing. {@code since} and
 * {@code until} are inclusive. {@code limit} only bounds the stored phase of a query and plays no
 * part in {@link #matches}. {@code search} is NIP-50.
 *
 * @param ids event ids (64 lowercase hex each), or null
 * @param authors pubkeys (64 lowercase hex each), or null
 * @param kinds kinds, or null
 * @param tags tag letter to accepted first values, for {@code #x} fields (no entry = no condition)
 * @param since lower bound on created_at, or null
 * @param until upper bound on created_at, or null
 * @param limit initial-query limit, or null
 * @param search NIP-50 search string, or null
 */
public record Filter(Set<String> ids, Set<String> authors, Set<Integer> kinds, Map<Character, Set<String>> tags,
                     Long since, Long until, Integer limit, String search) {

    public Filter {
        ids = ids == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(ids));
        authors = authors == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(authors));
        kinds = kinds == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(kinds));
        TreeMap<Character, Set<String>> t = new TreeMap<>();
        if (tags != null) {
            tags.forEach((k, v) -> t.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        }
        tags = Collections.unmodifiableMap(t);
    }

    /** A builder for clients composing filters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Parses a filter object from JSON text. */
    public static Filter parse(String json) throws FilterException {
        try (JsonParser p = Json.parser(json)) {
            p.nextToken();
            Filter f = read(p);
            if (!Json.atEnd(p)) {
                throw new FilterException("trailing data after the filter");
            }
            return f;
        } catch (JacksonException e) {
            throw new FilterException(Json.describe(e));
        }
    }

    /**
     * Reads the filter object whose START_OBJECT is the parser's current token.
     *
     * @throws FilterException naming the malformed or unsupported field
     */
    public static Filter read(JsonParser p) throws FilterException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FilterException("filter must be a JSON object");
        }
        Builder b = new Builder();
        Set<String> seen = new java.util.HashSet<>();
        try {
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                if (!seen.add(name)) {
                    throw new FilterException("duplicate filter field '" + name + "'");
                }
                Json.next(p);
                switch (name) {
                    case "ids" -> b.ids = hexList(p, "ids");
                    case "authors" -> b.authors = hexList(p, "authors");
                    case "kinds" -> b.kinds = kindList(p);
                    case "since" -> b.since = Json.readInteger(p, "since", 0, Long.MAX_VALUE);
                    case "until" -> b.until = Json.readInteger(p, "until", 0, Long.MAX_VALUE);
                    case "limit" -> b.limit = (int) Math.min(Integer.MAX_VALUE,
                            Json.readInteger(p, "limit", 0, Long.MAX_VALUE));
                    case "search" -> b.search = Json.readString(p, "search");
                    default -> {
                        if (name.length() == 2 && name.charAt(0) == '#' && isTagLetter(name.charAt(1))) {
                            char letter = name.charAt(1);
                            b.tags.put(letter, (letter == 'e' || letter == 'p')
                                    ? hexList(p, name) : stringList(p, name));
                        } else {
                            throw new FilterException("unsupported filter field '" + name + "'");
                        }
                    }
                }
            }
        } catch (JsonValueException e) {
            throw new FilterException(e.getMessage());
        }
        return b.build();
    }

    /** True for the letters NIP-01 allows as indexed tag names: a-z, A-Z. */
    public static boolean isTagLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** True when {@code event} satisfies every condition of this filter (limit ignored). */
    public boolean matches(Event event) {
        if (ids != null && !ids.contains(event.id())) {
            return false;
        }
        if (authors != null && !authors.contains(event.pubkey())) {
            return false;
        }
        if (kinds != null && !kinds.contains(event.kind())) {
            return false;
        }
        if (since != null && event.createdAt() < since) {
            return false;
        }
        if (until != null && event.createdAt() > until) {
            return false;
        }
        for (Map.Entry<Character, Set<String>> cond : tags.entrySet()) {
            if (!hasTag(event, cond.getKey(), cond.getValue())) {
                return false;
            }
        }
        return search == null || matchesSearch(event.content());
    }

    private static boolean hasTag(Event event, char letter, Set<String> values) {
        for (List<String> t : event.tags()) {
            String name = t.get(0);
            if (t.size() >= 2 && name.length() == 1 && name.charAt(0) == letter && values.contains(t.get(1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Live-phase NIP-50 matching: every search term (extensions of the form {@code key:value}
     * excepted) occurs in the content, ignoring case.
     */
    private boolean matchesSearch(String content) {
        String hay = content.toLowerCase(Locale.ROOT);
        for (String term : searchTerms()) {
            if (!hay.contains(term)) {
                return false;
            }
        }
        return true;
    }

    /** The search string's plain terms, lowercased, without NIP-50 {@code key:value} extensions. */
    public List<String> searchTerms() {
        if (search == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String w : search.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!w.isEmpty() && !isSearchExtension(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** NIP-50 extensions of the form {@code key:value} in the search string, in order. */
    public List<String> searchExtensions() {
        if (search == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String w : search.split("\\s+")) {
            if (isSearchExtension(w)) {
                out.add(w);
            }
        }
        return out;
    }

    private static boolean isSearchExtension(String w) {
        int c = w.indexOf(':');
        return c > 0 && c < w.length() - 1 && w.chars().limit(c).allMatch(ch -> Character.isLetter(ch) || ch == '_' || ch == '-');
    }

    /** Compact JSON of this filter. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64);
        sb.append('{');
        int mark = sb.length();
        if (ids != null) {
            field(sb, mark, "ids");
            stringArray(sb, ids);
        }
        if (authors != null) {
            field(sb, mark, "authors");
            stringArray(sb, authors);
        }
        if (kinds != null) {
            field(sb, mark, "kinds");
            sb.append('[');
            int i = 0;
            for (int k : kinds) {
                sb.append(i++ > 0 ? "," : "").append(k);
            }
            sb.append(']');
        }
        for (Map.Entry<Character, Set<String>> t : tags.entrySet()) {
            field(sb, mark, "#" + t.getKey());
            stringArray(sb, t.getValue());
        }
        if (since != null) {
            field(sb, mark, "since");
            sb.append(since);
        }
        if (until != null) {
            field(sb, mark, "until");
            sb.append(until);
        }
        if (limit != null) {
            field(sb, mark, "limit");
            sb.append(limit);
        }
        if (search != null) {
            field(sb, mark, "search");
            Json.appendQuoted(sb, search);
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString() {
        return toJson();
    }

    private static void field(StringBuilder sb, int mark, String name) {
        if (sb.length() > mark) {
            sb.append(',');
        }
        Json.appendQuoted(sb, name);
        sb.append(':');
    }

    private static void stringArray(StringBuilder sb, Collection<String> values) {
        sb.append('[');
        int i = 0;
        for (String v : values) {
            if (i++ > 0) {
                sb.append(',');
            }
            Json.appendQuoted(sb, v);
        }
        sb.append(']');
    }

    private static List<String> stringList(JsonParser p, String field) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonValueException(field + " must be an array");
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = Json.next(p)) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw new JsonValueException(field + " must hold only strings");
            }
            out.add(p.getString());
        }
        return out;
    }

    private static List<String> hexList(JsonParser p, String field) {
        List<String> out = stringList(p, field);
        for (String v : out) {
            if (!Hex.isLowerHex(v, 64)) {
                throw new JsonValueException(field + " must hold 64-character lowercase hex values");
            }
        }
        return out;
    }

    private static List<Integer> kindList(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonValueException("kinds must be an array");
        }
        List<Integer> out = new ArrayList<>();
        while (Json.next(p) != JsonToken.END_ARRAY) {
            out.add((int) Json.readInteger(p, "kinds", 0, 65535));
        }
        return out;
    }

    /** Builds a {@link Filter}; every setter replaces the field. */
    public static final class Builder {
        private Collection<String> ids;
        private Collection<String> authors;
        private Collection<Integer> kinds;
        private final Map<Character, Collection<String>> tags = new TreeMap<>();
        private Long since;
        private Long until;
        private Integer limit;
        private String search;

        private Builder() {}

        public Builder ids(String... v) {
            return ids(List.of(v));
        }

        public Builder ids(Collection<String> v) {
            ids = List.copyOf(v);
            return this;
        }

        public Builder authors(String... v) {
            return authors(List.of(v));
        }

        public Builder authors(Collection<String> v) {
            authors = List.copyOf(v);
            return this;
        }

        public Builder kinds(Integer... v) {
            return kinds(List.of(v));
        }

        public Builder kinds(Collection<Integer> v) {
            kinds = List.copyOf(v);
            return this;
        }

        /** A {@code #letter} condition. */
        public Builder tag(char letter, String... values) {
            return tag(letter, List.of(values));
        }

        public Builder tag(char letter, Collection<String> values) {
            if (!isTagLetter(letter)) {
                throw new IllegalArgumentException("tag filters take a single letter a-z or A-Z, got '" + letter + "'");
            }
            tags.put(letter, List.copyOf(values));
            return this;
        }

        public Builder since(long v) {
            since = v;
            return this;
        }

        public Builder until(long v) {
            until = v;
            return this;
        }

        public Builder limit(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("limit must not be negative, got " + v);
            }
            limit = v;
            return this;
        }

        public Builder search(String v) {
            search = v;
            return this;
        }

        public Filter build() {
            Map<Character, Set<String>> t = new TreeMap<>();
            tags.forEach((k, v) -> t.put(k, new LinkedHashSet<>(v)));
            return new Filter(ids == null ? null : new LinkedHashSet<>(ids),
                    authors == null ? null : new LinkedHashSet<>(authors),
                    kinds == null ? null : new LinkedHashSet<>(kinds), t, since, until, limit, search);
        }
    }
}
