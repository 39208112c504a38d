package nostr.bench.blossom;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nostr.blossom.blob.DirectWrites;

/**
 * The stages a Blossom transfer is made of, each timed alone in this process on one thread (two
 * for the socket), so a transfer's time can be read against its floor: SHA-256 over bytes already
 * in memory, reading the file from the page cache, writing a new file into the page cache,
 * flushing it to disk, and moving the bytes through a loopback TCP connection. An upload needs at
 * least max(socket + SHA-256, file write) of wall time when the hash and the write overlap on two
 * cores, plus the flush when the server fsyncs.
 */
public final class StageProbe {
    private static final int PIECE = 256 * 1024;

    private StageProbe() {}

    /** Seconds to SHA-256 {@code bytes} bytes from a 256 KiB heap buffer (the JDK's SHA-NI/AVX2 intrinsic). */
    public static double sha256(long bytes) {
        byte[] piece = new byte[PIECE];
        new SplittableRandom(1).nextBytes(piece);
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long t0 = System.nanoTime();
        for (long done = 0; done < bytes; done += PIECE) {
            d.update(piece, 0, (int) Math.min(PIECE, bytes - done));
        }
        d.digest();
        return seconds(t0);
    }

    /** Seconds to read {@code file} (in the page cache after the first time) into a direct buffer. */
    public static double fileRead(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(PIECE);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(b.clear()) >= 0) {
                // only the reading is timed
            }
        }
        return seconds(t0);
    }

    /** Seconds to write {@code bytes} bytes into a new file from a direct buffer (page cache, no flush). */
    public static double fileWrite(Path target, long bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(PIECE);
        Files.deleteIfExists(target);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < bytes; done += PIECE) {
                b.clear().limit((int) Math.min(PIECE, bytes - done));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        return seconds(t0);
    }

    /**
     * Seconds to write {@code bytes} into a new file with {@code O_DIRECT} through the Blossom
     * code's {@code DirectWrites} (staging copy, disk writes in flight) and fdatasync it; -1 when
     * the file system refuses {@code O_DIRECT}.
     */
    public static double directWrite(Path target, long bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(PIECE);
        Files.deleteIfExists(target);
        long t0 = System.nanoTime();
        try (DirectWrites.Writer w = DirectWrites.create(target)) {
            if (w == null) {
                return -1;
            }
            for (long done = 0; done < bytes; done += PIECE) {
                w.write(b.clear().limit((int) Math.min(PIECE, bytes - done)));
            }
            w.finish();
            w.channel().force(false);
        }
        return seconds(t0);
    }

    /** Seconds to flush {@code file}'s dirty pages to disk ({@code fdatasync}). */
    public static double fsync(Path file) throws IOException {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        }
        return seconds(t0);
    }

    /** Seconds to send {@code bytes} bytes through a loopback TCP connection, 256 KiB direct buffers on both sides. */
    public static double loopback(long bytes) throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Future<Long> received = pool.submit(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocateDirect(PIECE);
                    long n = 0;
                    int r;
                    while ((r = in.read(b.clear())) >= 0) {
                        n += r;
                    }
                    return n;
                }
            });
            long t0 = System.nanoTime();
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer b = ByteBuffer.allocateDirect(PIECE);
                for (long done = 0; done < bytes; done += PIECE) {
                    b.clear().limit((int) Math.min(PIECE, bytes - done));
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
            long n = received.get();
            double s = seconds(t0);
            if (n != bytes) {
                throw new IOException("loopback received " + n + " of " + bytes + " bytes");
            }
            return s;
        } catch (ExecutionException e) {
            throw new IOException("loopback receiver failed", e.getCause());
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
