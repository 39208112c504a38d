package nostr.blossom.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;

/**
 * Copies a stream into a file while computing its SHA-256, with hashing and writing overlapped:
 * the calling thread reads a piece and hashes it while a second (virtual) thread writes the
 * previous piece, so a large blob costs about the slower of the two rather than their sum. A few
 * fixed pieces rotate between the two ({@value #PIECES} x {@value #PIECE_BYTES} bytes): memory use
 * does not depend on the blob's size.
 *
 * <p>With {@code forceEvery} > 0 the writer also flushes the file to disk every that many bytes,
 * so the final fsync has little left to do (used when blobs must be durable before they are
 * acknowledged).
 */
public final class HashingCopy {
    static final int PIECE_BYTES = 256 * 1024;
    static final int PIECES = 4;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private HashingCopy() {}

    /** What was copied. */
    public record Result(String sha256, long size) {}

    /** The stream went past the byte limit; the copy stopped there. */
    public static final class LimitExceeded extends IOException {
        private final long limit;

        LimitExceeded(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * Reads {@code in} to its end into {@code out} (from the channel's position), hashing it.
     *
     * @param limit most bytes accepted ({@link LimitExceeded} beyond)
     * @param forceEvery flush the file every this many bytes; 0 never
     */
    public static Result copy(InputStream in, FileChannel out, long limit, long forceEvery) throws IOException {
        BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(PIECES);
        BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(PIECES + 1);
        for (int i = 0; i < PIECES; i++) {
            free.add(ByteBuffer.allocate(PIECE_BYTES));
        }
        Writer writer = new Writer(out, free, filled, forceEvery);
        Thread wt = Thread.ofVirtual().name("hashing-copy-writer").start(writer);
        MessageDigest digest = Sha256.digest();
        long total = 0;
        try {
            while (true) {
                ByteBuffer b = takeFree(free, writer);
                int n = in.readNBytes(b.array(), 0, PIECE_BYTES);
                if (n == 0) {
                    free.add(b);
                    break;
                }
                total += n;
                if (total > limit) {
                    throw new LimitExceeded(limit);
                }
                b.clear().limit(n);
                filled.add(b);
                digest.update(b.array(), 0, n);
            }
        } finally {
            filled.add(END);
            try {
                wt.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the last pieces were written");
            }
        }
        if (writer.error != null) {
            throw writer.error;
        }
        return new Result(Hex.encode(digest.digest()), total);
    }

    private static ByteBuffer takeFree(BlockingQueue<ByteBuffer> free, Writer writer) throws IOException {
        try {
            while (true) {
                if (writer.error != null) {
                    throw writer.error;
                }
                ByteBuffer b = free.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying");
        }
    }

    /** Writes filled pieces in order and hands them back; after a failure it only hands them back. */
    private static final class Writer implements Runnable {
        private final FileChannel out;
        private final BlockingQueue<ByteBuffer> free;
        private final BlockingQueue<ByteBuffer> filled;
        private final long forceEvery;
        volatile IOException error;

        Writer(FileChannel out, BlockingQueue<ByteBuffer> free, BlockingQueue<ByteBuffer> filled, long forceEvery) {
            this.out = out;
            this.free = free;
            this.filled = filled;
            this.forceEvery = forceEvery;
        }

        @Override
        public void run() {
            long sinceForce = 0;
            while (true) {
                ByteBuffer b;
                try {
                    b = filled.take();
                } catch (InterruptedException e) {
                    error = new InterruptedIOException("writer interrupted");
                    return;
                }
                if (b == END) {
                    return;
                }
                if (error == null) {
                    try {
                        int n = b.remaining();
                        while (b.hasRemaining()) {
                            out.write(b);
                        }
                        sinceForce += n;
                        if (forceEvery > 0 && sinceForce >= forceEvery) {
                            out.force(false);
                            sinceForce = 0;
                        }
                    } catch (IOException e) {
                        error = e;
                    }
                }
                free.add(b.clear());
            }
        }
    }
}
