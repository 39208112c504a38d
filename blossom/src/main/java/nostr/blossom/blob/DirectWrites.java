package nostr.blossom.blob;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writing a new file with {@code O_DIRECT}: the bytes go from our own buffers to the disk, not
 * through the page cache. A large blob written the ordinary way makes the kernel find, zero and
 * fill a fresh page-cache page for every 4 KiB, which on the KVM guests this was measured on costs
 * more than the SHA-256 of the same bytes (the guest hands free memory back to the host, so fresh
 * pages fault on the host too). A direct write costs a copy into an aligned staging buffer, which
 * the CPU does while the bytes are still in its cache from hashing them, and the disk's own time,
 * which overlaps the next reads and hashes.
 *
 * <p>{@code O_DIRECT} wants the buffer's address, the file position and the length to be
 * multiples of the file system's block size. Bytes are gathered into aligned staging buffers of
 * {@value #STAGE} bytes ({@link AlignedBuffers}) and written whole, up to {@value #DEPTH} at once
 * at their own positions; the last, partial one is padded with zeros to the block size and the
 * file is truncated to the real length afterwards.
 *
 * <p>{@link #create} returns null, and the caller writes the ordinary way, when the file system
 * refuses {@code O_DIRECT} (tmpfs before Linux 6.6, some FUSE and network file systems) or when
 * too many direct transfers hold buffers already ({@link AlignedBuffers#reserve}).
 */
public final class DirectWrites {
    /** Size of one staging buffer, i.e. of one direct write. */
    static final int STAGE = AlignedBuffers.SIZE;
    /**
     * The default size from which blobs skip the page cache, for the server's
     * {@code blossom_direct_io_min} and the client's {@code directWritesFrom}: 8 MiB.
     */
    public static final long DEFAULT_MIN = 8L * 1024 * 1024;
    /** Direct writes in flight at once per file. */
    static final int DEPTH = 4;
    /** Staging buffers a file uses: the ones being written plus the one being filled. */
    static final int BUFFERS_PER_FILE = DEPTH + 1;

    private DirectWrites() {}

    /**
     * Creates {@code file} (it must not exist) opened for direct writes, or returns null when its
     * file system does not take them; nothing is left behind then.
     */
    public static Writer create(Path file) throws IOException {
        return create(file, AlignedBuffers.alignment(file.toAbsolutePath().getParent()));
    }

    /**
     * As {@link #create(Path)}, for a caller that already knows the block size of the file's
     * directory ({@link AlignedBuffers#alignment}, -1 for no direct I/O there), so that looking it
     * up (a read of the mount table) is not repeated per file.
     */
    public static Writer create(Path file, int align) throws IOException {
        return create(file, align, DirectWrites::openDirect);
    }

    /** Opens a file for writing; the seam tests use to stand in for a file system without {@code O_DIRECT}. */
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    static FileChannel openDirect(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT));
    }

    static Writer create(Path file, int align, Opener opener) throws IOException {
        if (align < 0 || !AlignedBuffers.reserve(BUFFERS_PER_FILE)) {
            return null;
        }
        FileChannel ch;
        try {
            ch = opener.open(file);
        } catch (FileAlreadyExistsException e) {
            AlignedBuffers.unreserve(BUFFERS_PER_FILE);
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            AlignedBuffers.unreserve(BUFFERS_PER_FILE);
            // EINVAL from open(2): no O_DIRECT on this file system; open(2) may have created the file
            Files.deleteIfExists(file);
            return null;
        }
        return new Writer(ch, align);
    }

    /**
     * One file being written sequentially through staging buffers. {@link #write} is called from
     * one thread; the disk writes run on {@value #DEPTH} virtual threads of its own.
     */
    public static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final int align;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(BUFFERS_PER_FILE);
        private final ArrayDeque<Pending> queued = new ArrayDeque<>(BUFFERS_PER_FILE);
        private final Thread[] threads = new Thread[DEPTH];
        private boolean ended;
        private volatile IOException error;
        private ByteBuffer filling;
        private long position;
        private long total;
        private boolean closed;

        /** A full staging buffer whose bytes go to {@code position}. */
        private record Pending(ByteBuffer buffer, long position) {}

        private Writer(FileChannel ch, int align) {
            this.ch = ch;
            this.align = align;
            for (int i = 0; i < BUFFERS_PER_FILE; i++) {
                free.add(AlignedBuffers.take(align));
            }
            filling = free.poll();
            for (int i = 0; i < DEPTH; i++) {
                threads[i] = Thread.ofVirtual().name("direct-write-" + i).start(this::drain);
            }
        }

        /** Bytes accepted so far. */
        public long size() {
            return total;
        }

        /** Appends {@code src}'s remaining bytes (consumed); blocks while every staging buffer is being written. */
        public void write(ByteBuffer src) throws IOException {
            usable();
            total += src.remaining();
            while (src.hasRemaining()) {
                int n = Math.min(src.remaining(), filling.remaining());
                filling.put(filling.position(), src, src.position(), n);
                filling.position(filling.position() + n);
                src.position(src.position() + n);
                if (!filling.hasRemaining()) {
                    submit(STAGE);
                }
            }
        }

        /**
         * Writes what is still staged, waits for every write, and cuts the file to the bytes
         * accepted. The data is on the device only after {@code force} (the caller's fsync).
         */
        public void finish() throws IOException {
            usable();
            int staged = filling.position();
            if (staged > 0) {
                int padded = (staged + align - 1) / align * align;
                while (filling.position() < padded) {
                    filling.put((byte) 0);
                }
                submit(padded);
            }
            end();
            if (ch.size() != total) {
                ch.truncate(total);
            }
        }

        /** Throws the write error that left this writer without a staging buffer, or when it is closed. */
        private void usable() throws IOException {
            if (filling == null || closed) {
                IOException e = error;
                throw e != null ? e : new IOException("the direct writer is closed");
            }
        }

        /** The channel, for {@code force}; its writes must go through this writer. */
        public FileChannel channel() {
            return ch;
        }

        private void submit(int length) throws IOException {
            ByteBuffer full = filling.flip().limit(length);
            filling = null;
            lock.lock();
            try {
                if (error != null) {
                    free.add(full); // back to the pool when the writer closes
                    throw error;
                }
                queued.add(new Pending(full, position));
                position += length;
                changed.signalAll();
                while (free.isEmpty() && error == null) {
                    changed.awaitUninterruptibly();
                }
                if (error != null) {
                    throw error;
                }
                filling = free.poll().clear();
            } finally {
                lock.unlock();
            }
        }

        private void drain() {
            while (true) {
                Pending p;
                lock.lock();
                try {
                    while (queued.isEmpty() && !ended) {
                        changed.awaitUninterruptibly();
                    }
                    p = queued.poll();
                    if (p == null) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                IOException failed = null;
                try {
                    if (error == null) {
                        long at = p.position();
                        ByteBuffer b = p.buffer();
                        while (b.hasRemaining()) {
                            at += ch.write(b, at);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failed = e instanceof IOException io ? io : new IOException("direct write failed: " + e, e);
                }
                lock.lock();
                try {
                    if (failed != null && error == null) {
                        error = failed;
                    }
                    free.add(p.buffer());
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        private void end() throws IOException {
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while the last direct writes finished");
                }
            }
            if (error != null) {
                throw error;
            }
        }

        /** Stops the writer threads (after {@link #finish}, or to abandon the file) and closes the channel. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                lock.lock();
                try {
                    if (error == null && !ended) {
                        error = new IOException("direct write abandoned");
                    }
                } finally {
                    lock.unlock();
                }
                try {
                    end();
                } catch (IOException e) {
                    // abandoned or failed: the caller deletes the file
                }
            } finally {
                lock.lock();
                try {
                    free.forEach(AlignedBuffers::give);
                    free.clear();
                    queued.forEach(p -> AlignedBuffers.give(p.buffer()));
                    queued.clear();
                    if (filling != null) {
                        AlignedBuffers.give(filling);
                        filling = null;
                    }
                } finally {
                    lock.unlock();
                }
                AlignedBuffers.unreserve(BUFFERS_PER_FILE);
                ch.close();
            }
        }
    }
}
