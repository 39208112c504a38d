package nostr.core.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * NIP-01 event serialization for the id: {@code [0,<pubkey>,<created_at>,<kind>,<tags>,<content>]}
 * as compact UTF-8 JSON, escaped exactly as {@code JSON.stringify} does, and its SHA-256.
 *
 * <p>Written straight into a byte buffer (no intermediate String) because it sits on the ingest
 * hot path: every received event is re-serialized once to check its id.
 */
public final class Canonical {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Canonical() {}

    /** The canonical UTF-8 serialization NIP-01 hashes for the id. */
    public static byte[] serialize(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        Buffer b = new Buffer(256 + content.length() + 64 * tags.size());
        b.ascii("[0,");
        b.string(pubkey);
        b.put((byte) ',');
        b.ascii(Long.toString(createdAt));
        b.put((byte) ',');
        b.ascii(Integer.toString(kind));
        b.ascii(",[");
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                b.put((byte) ',');
            }
            b.put((byte) '[');
            List<String> tag = tags.get(i);
            for (int j = 0; j < tag.size(); j++) {
                if (j > 0) {
                    b.put((byte) ',');
                }
                b.string(tag.get(j));
            }
            b.put((byte) ']');
        }
        b.ascii("],");
        b.string(content);
        b.put((byte) ']');
        return b.toByteArray();
    }

    /** SHA-256 of {@link #serialize}: the 32-byte event id. */
    public static byte[] id(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        byte[] ser = serialize(pubkey, createdAt, kind, tags, content);
        return sha256(ser);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Growable byte buffer with JSON.stringify string escaping and UTF-8 encoding. */
    private static final class Buffer {
        private byte[] buf;
        private int len;

        Buffer(int capacity) {
            buf = new byte[capacity];
        }

        void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        void put(byte v) {
            ensure(1);
            buf[len++] = v;
        }

        void ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        void string(String s) {
            int n = s.length();
            // Worst case: every char a 6-byte \\u escape, plus quotes.
            ensure(n * 6 + 2);
            buf[len++] = '"';
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80) {
                    if (c == '"' || c == '\\') {
                        buf[len++] = '\\';
                    }
                    buf[len++] = (byte) c;
                } else if (c < 0x20) {
                    switch (c) {
                        case '\b' -> escape('b');
                        case '\t' -> escape('t');
                        case '\n' -> escape('n');
                        case '\f' -> escape('f');
                        case '\r' -> escape('r');
                        default -> unicodeEscape(c);
                    }
                } else if (c < 0x800) {
                    buf[len++] = (byte) (0xc0 | (c >> 6));
                    buf[len++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[len++] = (byte) (0xf0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    buf[len++] = (byte) (0x80 | (cp & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c); // lone surrogate: JSON.stringify writes \\udxxx
                } else {
                    buf[len++] = (byte) (0xe0 | (c >> 12));
                    buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    buf[len++] = (byte) (0x80 | (c & 0x3f));
                }
            }
            buf[len++] = '"';
        }

        private void escape(char name) {
            buf[len++] = '\\';
            buf[len++] = (byte) name;
        }

        private void unicodeEscape(char c) {
            buf[len++] = '\\';
            buf[len++] = 'u';
            buf[len++] = HEX[(c >> 12) & 0xf];
            buf[len++] = HEX[(c >> 8) & 0xf];
            buf[len++] = HEX[(c >> 4) & 0xf];
            buf[len++] = HEX[c & 0xf];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
