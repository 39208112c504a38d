package nostr.blossom.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import nostr.blossom.testing.RandomBytes;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BUD-02 (a blob is addressed by the SHA-256 of its bytes): {@link HashingCopy} hashes a body
 * while a second thread writes it to the file. Checked on Jetty {@link Content.Source} bodies
 * as the server and client get them: chunks arriving with pauses (a null read, then an
 * asynchronous demand), more chunks than the writer queues, every chunk released whatever
 * happens, the limit and a failed body surfacing as exceptions.
 */
@Timeout(60) // a copy that loses track of its writer hangs rather than fails
class HashingCopyTest {
    @TempDir
    Path dir;

    @Test
    void bud02CopyOfManyChunksWritesTheBytesAndTheirSha256() throws Exception {
        byte[] body = RandomBytes.of(3_000_000, 1);
        PausingSource source = new PausingSource(body, 4_000, null);
        Path file = dir.resolve("blob");
        HashingCopy.Result r;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            r = HashingCopy.copy(source, out, Long.MAX_VALUE, 64 * 1024);
        }
        assertEquals(Sha256.of(body), r.sha256());
        assertEquals(body.length, r.size());
        assertArrayEquals(body, Files.readAllBytes(file));
        assertEquals(source.handedOut(), source.released.get(), "every chunk is released once written");
    }

    @Test
    void bud02CopyOfAnEmptyBodyIsTheHashOfNothing() throws Exception {
        PausingSource source = new PausingSource(new byte[0], 1, null);
        Path file = dir.resolve("empty");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            HashingCopy.Result r = HashingCopy.copy(source, out, 0, 0);
            assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", r.sha256());
            assertEquals(0, r.size());
        }
        assertEquals(0, Files.size(file));
    }

    @Test
    void bud02BodyPastTheLimitStopsTheCopyAndReleasesEveryChunk() throws Exception {
        byte[] body = RandomBytes.of(1_000_000, 2);
        PausingSource source = new PausingSource(body, 10_000, null);
        try (FileChannel out = FileChannel.open(dir.resolve("big"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            HashingCopy.LimitExceeded e = assertThrows(HashingCopy.LimitExceeded.class,
                    () -> HashingCopy.copy(source, out, 500_000, 0));
            assertEquals(500_000, e.limit());
        }
        assertEquals(51, source.handedOut(), "reading stops at the chunk that crosses the limit");
        assertEquals(source.handedOut(), source.released.get());
    }

    @Test
    void bud02FailedBodyIsThrownAndReleasesEveryChunk() throws Exception {
        byte[] body = RandomBytes.of(600_000, 3);
        IOException cut = new IOException("peer reset");
        PausingSource source = new PausingSource(body, 8_192, cut);
        try (FileChannel out = FileChannel.open(dir.resolve("cut"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            IOException e = assertThrows(IOException.class, () -> HashingCopy.copy(source, out, Long.MAX_VALUE, 0));
            assertSame(cut, e);
        }
        assertEquals(source.handedOut(), source.released.get());
    }

    @Test
    void bud02WriteFailureStopsTheReaderWithTheWritersError() throws Exception {
        byte[] body = RandomBytes.of(2_000_000, 4);
        PausingSource source = new PausingSource(body, 4_096, null);
        Path file = dir.resolve("read-only");
        Files.write(file, new byte[0]);
        // a channel opened for reading only: every write fails
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.READ)) {
            IOException e = assertThrows(IOException.class, () -> HashingCopy.copy(source, out, Long.MAX_VALUE, 0));
            assertTrue(e.getMessage().startsWith("writing the file failed"), e.getMessage());
        }
        assertEquals(source.handedOut(), source.released.get());
    }

    // ---- into a direct writer (large blobs past the page cache) ------------------------------

    /** A direct writer, or where the file system has no O_DIRECT the same writer over an ordinary channel. */
    private DirectWrites.Writer directWriter(Path file) throws IOException {
        DirectWrites.Writer w = DirectWrites.create(file);
        return w != null ? w : DirectWrites.create(file, AlignedBuffers.alignment(dir),
                f -> FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @Test
    void bud02DirectCopyOfManyUnevenChunksWritesTheBytesAndTheirSha256() throws Exception {
        byte[] body = RandomBytes.of(3_000_017, 11);
        PausingSource source = new PausingSource(body, 65_531, null);
        Path file = dir.resolve("direct");
        HashingCopy.Result r;
        try (DirectWrites.Writer w = directWriter(file)) {
            r = HashingCopy.copy(source, w, Long.MAX_VALUE);
        }
        assertEquals(Sha256.of(body), r.sha256());
        assertEquals(body.length, r.size());
        assertArrayEquals(body, Files.readAllBytes(file));
        assertEquals(source.handedOut(), source.released.get(), "every chunk is released once copied");
    }

    @Test
    void bud02DirectCopyPastTheLimitStopsAndReleasesEveryChunk() throws Exception {
        byte[] body = RandomBytes.of(1_000_000, 12);
        PausingSource source = new PausingSource(body, 10_000, null);
        try (DirectWrites.Writer w = directWriter(dir.resolve("direct-big"))) {
            HashingCopy.LimitExceeded e = assertThrows(HashingCopy.LimitExceeded.class,
                    () -> HashingCopy.copy(source, w, 500_000));
            assertEquals(500_000, e.limit());
        }
        assertEquals(51, source.handedOut());
        assertEquals(source.handedOut(), source.released.get());
    }

    @Test
    void bud02DirectCopyOfAFailedBodyThrowsItAndReleasesEveryChunk() throws Exception {
        IOException cut = new IOException("peer reset");
        PausingSource source = new PausingSource(RandomBytes.of(600_000, 13), 8_192, cut);
        try (DirectWrites.Writer w = directWriter(dir.resolve("direct-cut"))) {
            assertSame(cut, assertThrows(IOException.class, () -> HashingCopy.copy(source, w, Long.MAX_VALUE)));
        }
        assertEquals(source.handedOut(), source.released.get());
    }


    /**
     * Hands out {@code body} in chunks of {@code chunkBytes}, each behind a null read whose demand
     * is answered from another thread, then a last chunk (or {@code failure}); counts releases.
     */
    private static final class PausingSource implements Content.Source {
        final AtomicInteger released = new AtomicInteger();
        private final Deque<Content.Chunk> chunks = new ArrayDeque<>();
        private int handedOut;
        private boolean pause = true;

        PausingSource(byte[] body, int chunkBytes, Throwable failure) {
            for (int off = 0; off < body.length; off += chunkBytes) {
                int n = Math.min(chunkBytes, body.length - off);
                // a read-only direct copy, as sockets fill them
                ByteBuffer b = ByteBuffer.allocateDirect(n).put(body, off, n).flip().asReadOnlyBuffer();
                chunks.add(Content.Chunk.from(b, false, released::incrementAndGet));
            }
            chunks.add(failure == null ? Content.Chunk.EOF : Content.Chunk.from(failure));
        }

        int handedOut() {
            synchronized (this) {
                return handedOut;
            }
        }

        @Override
        public synchronized Content.Chunk read() {
            if (pause) {
                pause = false;
                return null;
            }
            pause = true;
            Content.Chunk c = chunks.poll();
            if (c != null && c.hasRemaining()) {
                handedOut++;
            }
            return c;
        }

        @Override
        public void demand(Runnable ready) {
            Thread.ofVirtual().start(ready);
        }

        @Override
        public void fail(Throwable failure) {
            throw new AssertionError("the copy never fails its source", failure);
        }
    }
}
