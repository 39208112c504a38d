package nostr.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nostr.core.Hex;
import nostr.core.json.Json;
import nostr.core.testing.Node;
import org.junit.jupiter.api.Test;

/**
 * NIP-01 "Serialization": our id serializer ({@link Canonical}) and string quoting ({@link Json#appendQuoted},
 * {@link EventJson#appendTags}) against an independent implementation, node's {@code JSON.stringify}
 * (interop/canonical.mjs), on seeded random strings rich in control characters, quotes, backslashes,
 * emoji, U+2028/2029, and lone or reversed surrogates. The strings reach node as JSON with every
 * non-ASCII character as a \\u escape, so lone surrogates survive the trip.
 */
class CanonicalPropertyTest {
    private static final int CASES = 3000;
    private static final long SEED = Long.getLong("canonical.seed", 0x5eedL);

    private static final String[] PIECES = {
        "\"", "\\", "\\\"", "/", "\b", "\t", "\n", "\f", "\r", "\u0000", "\u0001", "\u001f", "\u007f", "\u0080",
        "\u00e9", "\u07ff", "\u0800", "\u4e2d", "\u2028", "\u2029", "\ufeff", "\uffff", "\ud83e\udd84", "\ud83d\ude00",
        "\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800", "\ud800\ud800\udc00", "\ud83c", "\\u0041", "</script>",
        " ", "a", "Z", "0", "[", "]", "{", "}", ",", ":",
    };

    @Test
    void nip01CanonicalSerializationMatchesJsonStringify() throws Exception {
        Random rnd = new Random(SEED);
        List<Object[]> cases = new ArrayList<>(CASES);
        StringBuilder stdin = new StringBuilder(CASES * 200).append('[');
        for (int i = 0; i < CASES; i++) {
            String pubkey = Hex.encode(bytes(rnd, 32));
            long createdAt = i % 10 == 0 ? (1L << 53) - 1 - rnd.nextInt(1000) : (long) rnd.nextInt(Integer.MAX_VALUE);
            int kind = i % 7 == 0 ? 65535 : rnd.nextInt(65536);
            List<List<String>> tags = new ArrayList<>();
            int tagCount = rnd.nextInt(4);
            for (int t = 0; t < tagCount; t++) {
                List<String> tag = new ArrayList<>();
                int n = 1 + rnd.nextInt(3);
                for (int j = 0; j < n; j++) {
                    tag.add(randomString(rnd));
                }
                tags.add(tag);
            }
            String content = randomString(rnd);
            cases.add(new Object[] {pubkey, createdAt, kind, tags, content});
            if (i > 0) {
                stdin.append(',');
            }
            stdin.append("[\"").append(pubkey).append("\",").append(createdAt).append(',').append(kind).append(",[");
            for (int t = 0; t < tags.size(); t++) {
                stdin.append(t > 0 ? ",[" : "[");
                for (int j = 0; j < tags.get(t).size(); j++) {
                    if (j > 0) {
                        stdin.append(',');
                    }
                    asciiJson(stdin, tags.get(t).get(j));
                }
                stdin.append(']');
            }
            stdin.append("],");
            asciiJson(stdin, content);
            stdin.append(']');
        }
        stdin.append(']');

        List<String> lines = Node.lines("canonical.mjs", stdin.toString());
        assertEquals(CASES, lines.size());
        for (int i = 0; i < CASES; i++) {
            Object[] c = cases.get(i);
            @SuppressWarnings("unchecked")
            List<List<String>> tags = (List<List<String>>) c[3];
            String content = (String) c[4];
            String[] expected = lines.get(i).split(" ");
            byte[] ser = Canonical.serialize((String) c[0], (Long) c[1], (Integer) c[2], tags, content);
            String where = "case " + i + " (seed " + SEED + "), content " + javaEscape(content) + ", serialized "
                    + new String(ser, StandardCharsets.UTF_8);
            assertEquals(expected[0], sha256(ser), where);
            assertEquals(expected[0], Hex.encode(Canonical.id((String) c[0], (Long) c[1], (Integer) c[2], tags, content)), where);
            assertEquals(expected[1], sha256(Json.quote(content).getBytes(StandardCharsets.UTF_8)),
                    "Json.quote " + where + ": " + Json.quote(content));
            StringBuilder sb = new StringBuilder();
            EventJson.appendTags(sb, tags);
            assertEquals(expected[2], sha256(sb.toString().getBytes(StandardCharsets.UTF_8)), "appendTags " + where);
        }
    }

    private static String randomString(Random rnd) {
        int n = rnd.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(10);
            if (pick < 6) {
                sb.append(PIECES[rnd.nextInt(PIECES.length)]);
            } else if (pick < 8) {
                sb.append((char) rnd.nextInt(0x10000)); // any UTF-16 unit, surrogates included
            } else if (pick < 9) {
                sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000));
            } else {
                sb.append((char) (0x20 + rnd.nextInt(0x5f)));
            }
        }
        return sb.toString();
    }

    /** JSON string literal with everything outside printable ASCII as a \\u escape (our own, independent of Json). */
    private static void asciiJson(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        sb.append('"');
    }

    private static String javaEscape(String s) {
        StringBuilder sb = new StringBuilder();
        asciiJson(sb, s);
        return sb.toString();
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
