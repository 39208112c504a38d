package nostr.core.negentropy;

/**
 * Reads the parts of a negentropy message from a byte array, refusing anything malformed with a
 * {@link NegentropyException} that names what was being read and where. Never reads past the end,
 * never allocates more than it is asked to return, and every call consumes input or fails, so no
 * message can make it loop.
 */
final class MessageReader {
    private final byte[] buf;
    private int pos;

    MessageReader(byte[] buf) {
        this.buf = buf;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return buf.length - pos;
    }

    int readByte(String what) {
        if (pos >= buf.length) {
            throw truncated(what);
        }
        return buf[pos++] & 0xff;
    }

    /** Reads a minimal varint of at most 64 bits. */
    long readVarint(String what) {
        int start = pos;
        long value = 0;
        while (true) {
            if (pos >= buf.length) {
                throw truncated(what);
            }
            int b = buf[pos++] & 0xff;
            if (pos - 1 == start && b == 0x80) {
                throw new NegentropyException(what + " varint at byte " + start + " has a leading zero digit (not minimal)");
            }
            if ((value >>> 57) != 0) {
                throw new NegentropyException(what + " varint at byte " + start + " exceeds 64 bits");
            }
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    /** Skips {@code n} bytes and returns the offset where they start. */
    int skip(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw truncated(what);
        }
        int start = pos;
        pos += (int) n;
        return start;
    }

    /** Copies the next {@code n} bytes. */
    byte[] readBytes(int n, String what) {
        int start = skip(n, what);
        byte[] out = new byte[n];
        System.arraycopy(buf, start, out, 0, n);
        return out;
    }

    private NegentropyException truncated(String what) {
        return new NegentropyException("message ends at byte " + buf.length + " inside " + what);
    }
}
