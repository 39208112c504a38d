package nostr.blossom.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nostr.core.Hex;

/**
 * SHA-256 as Blossom uses it: blobs are addressed by the lowercase hex SHA-256 of their exact
 * bytes (BUD-00). Hashing is always streamed; nothing here holds a whole blob in memory.
 */
public final class Sha256 {
    /** Bytes read per step when hashing a file or stream. */
    static final int CHUNK = 256 * 1024;
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

    private Sha256() {}

    /** A fresh SHA-256 digest. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** True when {@code s} is a blob hash: 64 lowercase hex characters. */
    public static boolean isHash(String s) {
        return s != null && Hex.isLowerHex(s, 64);
    }

    /** The hash of {@code bytes}. */
    public static String of(byte[] bytes) {
        return Hex.encode(digest().digest(bytes));
    }

    /** The hash of a file's contents, read in chunks. */
    public static String of(Path file) throws IOException {
        MessageDigest d = digest();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                d.update(buf);
                buf.clear();
            }
        }
        return Hex.encode(d.digest());
    }

    /** The hash of everything {@code in} yields (read to its end, not closed). */
    public static String of(InputStream in) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) >= 0) {
            d.update(buf, 0, n);
        }
        return Hex.encode(d.digest());
    }

    /**
     * The blob hash a URL names: the last run of 64 hex characters in its path (BUD-03 "Client
     * Retrieval Implementation"), lowercased; empty when there is none.
     */
    public static Optional<String> lastIn(String url) {
        String path = url;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int f = path.indexOf('#');
        if (f >= 0) {
            path = path.substring(0, f);
        }
        Matcher m = HASH.matcher(path);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return Optional.ofNullable(last).map(s -> s.toLowerCase(java.util.Locale.ROOT));
    }
}
