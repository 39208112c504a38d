package nostr.blossom.server;

import java.util.Optional;

/**
 * One byte range of a blob (RFC 9110 section 14): {@code first} to {@code last}, inclusive.
 *
 * <p>{@link #parse} understands a single range ({@code bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}). A header it does not understand (another unit, several ranges, bad syntax)
 * is ignored, as RFC 9110 lets a server do: the whole blob is sent with 200.
 */
public record ByteRange(long first, long last) {

    /** The outcome of reading a {@code Range} header against a blob's size. */
    public sealed interface Parsed {}

    /** No usable range: send the whole blob. */
    public record Whole() implements Parsed {}

    /** A satisfiable range: send 206 with it. */
    public record Partial(ByteRange range) implements Parsed {}

    /** A well-formed range outside the blob: send 416. */
    public record Unsatisfiable() implements Parsed {}

    /** Bytes in the range. */
    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value for a blob of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** Reads a {@code Range} header value (null when absent) against a blob of {@code size} bytes. */
    public static Parsed parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = h.substring(6).strip();
        if (spec.indexOf(',') >= 0) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> a = number(spec.substring(0, dash).strip());
        Optional<Long> b = number(spec.substring(dash + 1).strip());
        String left = spec.substring(0, dash).strip();
        String right = spec.substring(dash + 1).strip();
        if (left.isEmpty()) {
            // suffix range: the last n bytes
            if (b.isEmpty()) {
                return new Whole();
            }
            long n = b.get();
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, size - n), size - 1));
        }
        if (a.isEmpty() || (!right.isEmpty() && b.isEmpty())) {
            return new Whole();
        }
        long first = a.get();
        if (!right.isEmpty() && b.get() < first) {
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        long last = right.isEmpty() ? size - 1 : b.get();
        return new Partial(new ByteRange(first, Math.min(last, size - 1)));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(s));
    }
}
