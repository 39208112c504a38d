package nostr.blossom.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers of {@value #SIZE} bytes whose address is a multiple of a block size, as
 * {@code O_DIRECT} reads and writes need ({@link DirectWrites}, the server's direct-read source).
 * A few are kept for reuse, so steady use allocates no memory; beyond that they are left to the
 * garbage collector. A transfer reserves the buffers it will hold at most before it starts
 * ({@link #reserve}); when {@value #MAX_RESERVED} are reserved already it is refused and takes the
 * ordinary page-cache path instead, so many large transfers at once cannot run the JVM out of
 * direct memory.
 */
public final class AlignedBuffers {
    /** Size of every buffer: one direct read or write. */
    public static final int SIZE = 1024 * 1024;
    /** Buffers kept for reuse (32 MiB of direct memory at most). */
    static final int KEEP = 32;
    /** Buffers all transfers together may hold (64 MiB). */
    static final int MAX_RESERVED = 64;
    private static final AtomicInteger RESERVED = new AtomicInteger();
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private AlignedBuffers() {}

    /** Reserves {@code n} buffers for one transfer; false (nothing reserved) when too many are out. */
    public static boolean reserve(int n) {
        while (true) {
            int now = RESERVED.get();
            if (now + n > MAX_RESERVED) {
                return false;
            }
            if (RESERVED.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /** Ends a reservation of {@code n} buffers. */
    public static void unreserve(int n) {
        RESERVED.addAndGet(-n);
    }

    /** Buffers reserved now by transfers in progress. */
    public static int reserved() {
        return RESERVED.get();
    }

    /**
     * A cleared buffer of {@value #SIZE} bytes aligned to {@code align} (a power of two that
     * divides {@value #SIZE}).
     */
    public static ByteBuffer take(int align) {
        if (align <= 0 || (align & (align - 1)) != 0 || SIZE % align != 0) {
            throw new IllegalArgumentException("alignment must be a power of two dividing " + SIZE + ": " + align);
        }
        for (ByteBuffer b; (b = POOL.poll()) != null; ) {
            POOLED.decrementAndGet();
            if (b.alignmentOffset(0, align) == 0) {
                return b.clear();
            }
        }
        return alignedPiece(ByteBuffer.allocateDirect(SIZE + align), align);
    }

    /**
     * The first {@value #SIZE} bytes of {@code raw} from its first address aligned to
     * {@code align}, as a buffer of exactly that capacity. ({@code alignedSlice} alone keeps
     * every aligned byte: when the allocation happened to start aligned, its capacity was
     * {@code SIZE + align}, and {@link #give} refused the buffer.)
     */
    static ByteBuffer alignedPiece(ByteBuffer raw, int align) {
        return raw.alignedSlice(align).slice(0, SIZE);
    }

    /** Returns a buffer from {@link #take}; the caller must not touch it afterwards. */
    public static void give(ByteBuffer b) {
        if (b.capacity() != SIZE || !b.isDirect()) {
            throw new IllegalArgumentException("not one of ours: " + b);
        }
        if (POOLED.incrementAndGet() <= KEEP) {
            POOL.offer(b);
        } else {
            POOLED.decrementAndGet();
        }
    }

    /**
     * The block size {@code O_DIRECT} needs on the file system holding {@code dir}, at least 4096,
     * or -1 when it cannot be told or does not divide {@value #SIZE}.
     */
    public static int alignment(Path dir) {
        try {
            long b = Math.max(4096, Files.getFileStore(dir).getBlockSize());
            return b <= SIZE && SIZE % b == 0 ? (int) b : -1;
        } catch (IOException | UnsupportedOperationException e) {
            // no file store, or one that cannot tell its block size: no direct I/O there
            return -1;
        }
    }
}
