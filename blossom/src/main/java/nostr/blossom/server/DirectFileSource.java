package nostr.blossom.server;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nostr.blossom.blob.AlignedBuffers;
import org.eclipse.jetty.io.Content;

/**
 * A byte range of a file read with {@code O_DIRECT}, as a Jetty {@link Content.Source} for a
 * response body: the file's pages go from the disk into our own aligned buffers
 * ({@link AlignedBuffers}) and from there to the socket, without entering the page cache. nginx's
 * {@code directio} does the same for large files: a large blob served once would otherwise evict
 * what the cache holds, and on the KVM guests this was measured on every fresh page-cache page
 * costs more than reading the disk.
 *
 * <p>A virtual thread reads ahead, one {@value AlignedBuffers#SIZE}-byte piece at a time, keeping
 * at most {@value #AHEAD} pieces read but not yet sent; each piece returns to the pool when Jetty
 * releases its chunk. Reads start at the block below the range's first byte (direct reads must be
 * block-aligned) and the chunks are trimmed to the range. The file is closed once the last piece
 * is read or the source fails. When too many direct transfers hold buffers already
 * ({@link AlignedBuffers#reserve}) or the file system refuses {@code O_DIRECT}, {@link #open}
 * returns null and the blob is served through the page cache.
 */
final class DirectFileSource implements Content.Source {
    /** Pieces read ahead of the socket at most. */
    static final int AHEAD = 4;

    private final FileChannel ch;
    private final int align;
    private final long first;
    private final long end;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Content.Chunk> ready = new ArrayDeque<>(AHEAD);
    private int held;
    private Runnable demand;
    private Throwable failure;
    private boolean readerDone;
    private boolean unreserved;

    private DirectFileSource(FileChannel ch, int align, long first, long length) {
        this.ch = ch;
        this.align = align;
        this.first = first;
        this.end = first + length;
    }

    /**
     * Bytes {@code [offset, offset + length)} of {@code file} (which holds them), or null when the
     * file system does not take {@code O_DIRECT} or the buffer budget is spent: serve the file
     * the ordinary way then.
     *
     * @param align the block size of the file's directory ({@link AlignedBuffers#alignment}); -1 for none
     */
    static Content.Source open(Path file, long offset, long length, int align) throws IOException {
        if (length <= 0) {
            throw new IllegalArgumentException("empty range");
        }
        if (align < 0 || !AlignedBuffers.reserve(AHEAD)) {
            return null;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (NoSuchFileException e) {
            AlignedBuffers.unreserve(AHEAD);
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            AlignedBuffers.unreserve(AHEAD);
            // EINVAL: no O_DIRECT on this file system
            return null;
        }
        DirectFileSource s = new DirectFileSource(ch, align, offset, length);
        Thread.ofVirtual().name("blob-direct-read").start(s::readAhead);
        return s;
    }

    @Override
    public long getLength() {
        return end - first;
    }

    private void readAhead() {
        try {
            long at = first / align * align;
            while (at < end) {
                lock.lock();
                try {
                    while (held >= AHEAD && failure == null) {
                        room.awaitUninterruptibly();
                    }
                    if (failure != null) {
                        return;
                    }
                    held++;
                } finally {
                    lock.unlock();
                }
                ByteBuffer b = AlignedBuffers.take(align);
                Content.Chunk chunk;
                try {
                    long pieceStart = at;
                    while (b.hasRemaining() && at < end) {
                        int want = b.remaining();
                        int n = ch.read(b, at);
                        if (n <= 0) {
                            break;
                        }
                        at += n;
                        if (n < want) {
                            break; // the end of the file: a direct read comes short only there
                        }
                    }
                    long readEnd = pieceStart + b.position();
                    if (readEnd < Math.min(end, pieceStart + AlignedBuffers.SIZE)) {
                        throw new IOException("the blob file ended at " + readEnd + " bytes, before the " + end + " served");
                    }
                    int from = (int) (Math.max(first, pieceStart) - pieceStart);
                    int to = (int) (Math.min(end, readEnd) - pieceStart);
                    ByteBuffer body = b.duplicate().limit(to).position(from).slice();
                    chunk = Content.Chunk.from(body, readEnd >= end, () -> release(b));
                    at = pieceStart + to;
                } catch (IOException | RuntimeException e) {
                    release(b);
                    fail(e);
                    return;
                }
                Runnable toRun;
                lock.lock();
                try {
                    if (failure != null) {
                        chunk.release();
                        return;
                    }
                    ready.add(chunk);
                    toRun = demand;
                    demand = null;
                } finally {
                    lock.unlock();
                }
                if (toRun != null) {
                    // not on this thread: the demand runs the response's copy loop, which would
                    // then send every piece from here while no more were read ahead
                    Thread.ofVirtual().name("blob-direct-send").start(toRun);
                }
            }
        } finally {
            closeQuietly();
            lock.lock();
            try {
                readerDone = true;
            } finally {
                lock.unlock();
            }
            unreserveWhenDone();
        }
    }

    private void release(ByteBuffer b) {
        AlignedBuffers.give(b);
        lock.lock();
        try {
            held--;
            room.signal();
        } finally {
            lock.unlock();
        }
        unreserveWhenDone();
    }

    /** Ends the buffer reservation once the reader stopped and every piece came back. */
    private void unreserveWhenDone() {
        lock.lock();
        try {
            if (!readerDone || held > 0 || unreserved) {
                return;
            }
            unreserved = true;
        } finally {
            lock.unlock();
        }
        AlignedBuffers.unreserve(AHEAD);
    }

    @Override
    public Content.Chunk read() {
        lock.lock();
        try {
            Content.Chunk c = ready.poll();
            if (c != null) {
                return c;
            }
            if (failure != null) {
                return Content.Chunk.from(failure, true);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void demand(Runnable ready) {
        boolean now;
        lock.lock();
        try {
            now = !this.ready.isEmpty() || failure != null;
            if (!now) {
                demand = ready;
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            ready.run();
        }
    }

    @Override
    public void fail(Throwable why) {
        Runnable toRun;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = why;
            ready.forEach(Content.Chunk::release);
            ready.clear();
            room.signalAll();
            toRun = demand;
            demand = null;
        } finally {
            lock.unlock();
        }
        if (toRun != null) {
            toRun.run();
        }
    }

    private void closeQuietly() {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
    }
}
