package nostr.core.negentropy;

import java.util.Arrays;

/** A growable byte buffer for building negentropy messages. */
final class MessageWriter {
    private byte[] buf = new byte[256];
    private int size;

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeVarint(long value) {
        ensure(Varint.MAX_BYTES);
        size += Varint.write(value, buf, size);
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
    }

    void write(MessageWriter other) {
        write(other.buf, 0, other.size);
    }

    /** Makes room for {@code n} more bytes and returns the offset they go to, advancing the size. */
    int claim(int n) {
        ensure(n);
        int at = size;
        size += n;
        return at;
    }

    byte[] array() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (buf.length - size < n) {
            long want = Math.max((long) buf.length * 2, (long) size + n);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("negentropy message over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
