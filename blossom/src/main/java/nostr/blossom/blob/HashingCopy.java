package nostr.blossom.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nostr.core.Hex;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.InputStreamContentSource;
import org.eclipse.jetty.util.Blocker;

/**
 * Copies a body into a file while computing its SHA-256, with hashing and writing overlapped, and
 * without copying the bytes in between. The body is a Jetty {@link Content.Source}: a request on
 * the server, a response in the client, or an {@code InputStream} wrapped as one. Each chunk the
 * source yields (on a socket, a pooled direct buffer Jetty filled in one read) is hashed on the
 * calling thread and then handed, as it is, to a writer thread that writes it to the file
 * ({@code write} from a direct buffer: no copy in the JDK) and releases it. So the socket read
 * and the SHA-256 of one chunk overlap the file write of the chunks before it, and a large blob
 * costs about the slower of the two rather than their sum.
 *
 * <p>Memory stays bounded whatever the blob's size: at most {@value #IN_FLIGHT} chunks wait for the
 * writer (with 64 KiB chunks, 4 MiB); when they are all taken the calling thread stops reading and
 * TCP flow control holds the sender back. The writer is woken once per {@value #WAKE_EVERY} chunks
 * rather than per chunk, which keeps thread hand-offs cheap. With {@code forceEvery} > 0 a third
 * thread flushes the file ({@code fdatasync}) each time that many more bytes were written, while
 * the writes go on, so a final fsync before a blob is acknowledged has little left to do.
 *
 * <p>Into a {@link DirectWrites.Writer} (large blobs, {@code O_DIRECT}) each chunk is hashed and
 * then copied into the writer's aligned staging buffers on the calling thread and released at
 * once; the writer's own threads do the disk writes.
 *
 * <p>Writes are issued at most {@value #WRITE_PIECE} bytes at a time, never merged: on the KVM
 * guests this was measured on, larger writes make the page cache allocate large folios from memory
 * the guest had handed back to the host, which costs several times more per byte; elsewhere the
 * size makes little difference.
 */
public final class HashingCopy {
    /** Chunks queued for the writer at most (a source's buffer pool should keep this many for reuse). */
    public static final int IN_FLIGHT = 64;
    /** The writer is woken when this many chunks wait (or the body ended). */
    static final int WAKE_EVERY = 4;
    /** Largest single file write. */
    static final int WRITE_PIECE = 64 * 1024;
    /** Read size for {@code InputStream} bodies. */
    static final int STREAM_PIECE = 64 * 1024;
    /** Heap buffers for {@code InputStream} bodies, reused across copies. */
    private static final ByteBufferPool STREAM_BUFFERS = new ArrayByteBufferPool(0, 0, STREAM_PIECE, IN_FLIGHT + 8);

    private HashingCopy() {}

    /** What was copied. */
    public record Result(String sha256, long size) {}

    /** The body went past the byte limit; the copy stopped there. */
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
     * Reads {@code in} to its end into {@code out} (from the channel's position), hashing it; the
     * stream is not closed.
     *
     * @param limit most bytes accepted ({@link LimitExceeded} beyond)
     * @param forceEvery flush the file every this many bytes; 0 never
     */
    public static Result copy(InputStream in, FileChannel out, long limit, long forceEvery) throws IOException {
        return copy(source(in), out, limit, forceEvery);
    }

    /**
     * {@code in} as a {@link Content.Source} read in {@value #STREAM_PIECE}-byte pooled pieces;
     * reading it to its end does not close {@code in}.
     */
    public static Content.Source source(InputStream in) {
        InputStream unclosed = new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        return new InputStreamContentSource(unclosed, new ByteBufferPool.Sized(STREAM_BUFFERS, false, STREAM_PIECE));
    }

    /**
     * Reads {@code source} to its end (its last chunk) into {@code out} (from the channel's
     * position), hashing it. A failure chunk from the source is thrown as an {@code IOException}.
     * Blocks while the source has nothing to read: call it on a thread that may block (a virtual
     * thread).
     *
     * @param limit most bytes accepted ({@link LimitExceeded} beyond; reading stops there)
     * @param forceEvery flush the file every this many bytes; 0 never
     */
    public static Result copy(Content.Source source, FileChannel out, long limit, long forceEvery) throws IOException {
        Flusher flusher = forceEvery > 0 ? new Flusher(out) : null;
        Writer writer = new Writer(out, flusher, forceEvery);
        Thread writerThread = Thread.ofVirtual().name("hashing-copy-writer").start(writer);
        Thread flusherThread = flusher == null ? null : Thread.ofVirtual().name("hashing-copy-flusher").start(flusher);
        Result result;
        boolean complete = false;
        try {
            result = read(source, limit, writer);
            complete = true;
        } finally {
            writer.finish(complete);
            join(writerThread);
            if (flusher != null) {
                flusher.finish();
                join(flusherThread);
            }
        }
        writer.rethrow();
        if (flusher != null) {
            flusher.rethrow();
        }
        return result;
    }

    /**
     * Reads {@code source} to its end into a file opened for direct writes, hashing it: each chunk
     * is hashed and then copied into the writer's staging buffers on the calling thread (while
     * it is still in the CPU's cache) and released at once; the disk writes run behind. The
     * writer is finished (the file cut to the bytes copied) when this returns normally.
     *
     * @param limit most bytes accepted ({@link LimitExceeded} beyond; reading stops there)
     */
    public static Result copy(Content.Source source, DirectWrites.Writer out, long limit) throws IOException {
        Result result = read(source, limit, new Sink() {
            @Override
            public void submit(Content.Chunk chunk) throws IOException {
                try {
                    out.write(chunk.getByteBuffer().duplicate());
                } finally {
                    chunk.release();
                }
            }

            @Override
            public void wake() {
                // the disk writes run on their own
            }
        });
        out.finish();
        return result;
    }

    /** Where {@link #read} hands each hashed, non-empty chunk; it owns (and releases) the chunk. */
    private interface Sink {
        void submit(Content.Chunk chunk) throws IOException;

        /** The reader is about to wait for the network. */
        void wake();
    }

    private static Result read(Content.Source source, long limit, Sink sink) throws IOException {
        MessageDigest digest = Sha256.digest();
        long total = 0;
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                sink.wake();
                awaitDemand(source);
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                chunk.release();
                throw failure instanceof IOException io ? io : new IOException("the body failed: " + failure, failure);
            }
            boolean last = chunk.isLast();
            ByteBuffer b = chunk.getByteBuffer();
            int n = b.remaining();
            if (n == 0) {
                chunk.release();
            } else {
                total += n;
                if (total > limit) {
                    chunk.release();
                    throw new LimitExceeded(limit);
                }
                digest.update(b.duplicate());
                sink.submit(chunk);
            }
            if (last) {
                return new Result(Hex.encode(digest.digest()), total);
            }
        }
    }

    private static void awaitDemand(Content.Source source) throws IOException {
        try (Blocker.Runnable demand = Blocker.runnable()) {
            source.demand(demand);
            demand.block();
        }
    }

    private static void join(Thread t) throws InterruptedIOException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the last chunks were written");
        }
    }

    /**
     * Writes queued chunks in order and releases each once written. After a write fails (or the
     * copy is abandoned) it only releases what it is given, and {@link #submit} fails fast so the
     * reading thread stops.
     */
    private static final class Writer implements Runnable, Sink {
        private final FileChannel out;
        private final Flusher flusher;
        private final long forceEvery;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ready = lock.newCondition();
        private final Condition room = lock.newCondition();
        private final ArrayDeque<Content.Chunk> queue = new ArrayDeque<>(IN_FLIGHT);
        private boolean ended;
        private boolean urgent;
        private volatile IOException error;

        Writer(FileChannel out, Flusher flusher, long forceEvery) {
            this.out = out;
            this.flusher = flusher;
            this.forceEvery = forceEvery;
        }

        @Override
        public void submit(Content.Chunk chunk) throws IOException {
            lock.lock();
            try {
                while (queue.size() >= IN_FLIGHT && error == null) {
                    room.awaitUninterruptibly();
                }
                if (error != null) {
                    chunk.release();
                    throw error;
                }
                queue.addLast(chunk);
                if (queue.size() >= WAKE_EVERY) {
                    ready.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Lets the writer take what is queued now (the reader is about to wait for the network). */
        @Override
        public void wake() {
            lock.lock();
            try {
                if (!queue.isEmpty()) {
                    urgent = true;
                    ready.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Ends the queue; with {@code complete} false the writer drops what is still queued. */
        void finish(boolean complete) {
            lock.lock();
            try {
                if (!complete && error == null) {
                    error = new IOException("copy abandoned");
                }
                ended = true;
                ready.signal();
            } finally {
                lock.unlock();
            }
        }

        void rethrow() throws IOException {
            if (error != null) {
                throw error;
            }
        }

        @Override
        public void run() {
            long sinceForce = 0;
            ArrayDeque<Content.Chunk> batch = new ArrayDeque<>(IN_FLIGHT);
            while (true) {
                boolean last;
                lock.lock();
                try {
                    while (!ended && !urgent && queue.size() < WAKE_EVERY) {
                        ready.awaitUninterruptibly();
                    }
                    urgent = false;
                    batch.addAll(queue);
                    queue.clear();
                    last = ended;
                    room.signal();
                } finally {
                    lock.unlock();
                }
                for (Content.Chunk c; (c = batch.pollFirst()) != null; ) {
                    try {
                        if (error == null) {
                            sinceForce += write(c.getByteBuffer());
                            if (flusher != null && sinceForce >= forceEvery) {
                                flusher.request();
                                sinceForce = 0;
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // a writer that died quietly would leave the reader waiting for room forever
                        fail(e instanceof IOException io ? io : new IOException("writing the file failed: " + e, e));
                    } finally {
                        c.release();
                    }
                }
                if (last) {
                    return;
                }
            }
        }

        private int write(ByteBuffer b) throws IOException {
            int n = b.remaining();
            while (b.hasRemaining()) {
                ByteBuffer piece = b.remaining() <= WRITE_PIECE ? b : b.slice(b.position(), WRITE_PIECE);
                int w = out.write(piece);
                if (piece != b) {
                    b.position(b.position() + w);
                }
            }
            return n;
        }

        private void fail(IOException e) {
            lock.lock();
            try {
                error = e;
                room.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Flushes the file on request, off the writer's thread; requests that arrive while it flushes merge into one. */
    private static final class Flusher implements Runnable {
        private final FileChannel out;
        private boolean requested;
        private boolean finished;
        private volatile IOException error;

        Flusher(FileChannel out) {
            this.out = out;
        }

        synchronized void request() {
            requested = true;
            notifyAll();
        }

        synchronized void finish() {
            finished = true;
            notifyAll();
        }

        void rethrow() throws IOException {
            if (error != null) {
                throw error;
            }
        }

        @Override
        public void run() {
            while (true) {
                synchronized (this) {
                    while (!requested && !finished) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (finished) {
                        return;
                    }
                    requested = false;
                }
                try {
                    out.force(false);
                } catch (IOException e) {
                    error = e;
                    return;
                }
            }
        }
    }
}
