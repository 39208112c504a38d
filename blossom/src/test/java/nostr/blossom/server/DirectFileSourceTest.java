package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import nostr.blossom.blob.AlignedBuffers;
import nostr.blossom.testing.Await;
import nostr.blossom.testing.DirectIo;
import nostr.blossom.testing.RandomBytes;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BUD-01 GET bodies (whole blobs and byte ranges) read with {@code O_DIRECT}: the range's bytes
 * and nothing else, from any offset (direct reads start at the block below it), across several
 * read-ahead pieces, with every piece's buffer back in the pool once the consumer releases it; a
 * consumer that gives up stops the read-ahead; a file shorter than the range fails the body
 * rather than sending short.
 */
@Timeout(60)
class DirectFileSourceTest {
    private static final int MIB = 1024 * 1024;
    private static final byte[] BLOB = RandomBytes.of(3 * MIB + 777, 21);

    @TempDir
    Path dir;

    private Path file;
    /** More pieces than the read-ahead holds, so it is still reading (file open) when checked. */
    private Path big;
    private boolean directSupported;
    private int reservedBefore;
    private int align;

    @BeforeEach
    void writeBlob() throws Exception {
        file = dir.resolve("blob");
        Files.write(file, BLOB);
        big = dir.resolve("big");
        Files.write(big, RandomBytes.of(8 * MIB + 1, 22));
        directSupported = DirectIo.supported(dir);
        reservedBefore = AlignedBuffers.reserved();
        align = AlignedBuffers.alignment(dir);
    }

    @ParameterizedTest(name = "bytes {0} to {0}+{1}")
    @CsvSource({
        "0, 3146505", // the whole blob: 3 MiB + 777
        "0, 1",
        "4095, 2",
        "1048571, 10", // across the first piece boundary
        "5000, 3000000", // unaligned start, four pieces
        "3146504, 1", // the last byte
        "2097152, 1049353" // from an aligned piece start to the end
    })
    void bud01RangesAreServedExactlyFromAnyOffset(long offset, long length) throws Exception {
        Content.Source s = DirectFileSource.open(file, offset, length, align);
        if (!directSupported) {
            assertNull(s, "dd could not read O_DIRECT here, so the source must decline");
            return;
        }
        assertNotNull(s);
        assertEquals(length, s.getLength());
        byte[] got = readAll(s).join();
        byte[] want = java.util.Arrays.copyOfRange(BLOB, (int) offset, (int) (offset + length));
        assertArrayEquals(want, got);
        Await.until("the read-ahead buffers to come back", () -> AlignedBuffers.reserved() == reservedBefore,
                Duration.ofSeconds(10));
    }

    @Test
    void theFileIsReadWithODirect() throws Exception {
        Content.Source s = DirectFileSource.open(big, 0, Files.size(big), align);
        if (!directSupported) {
            assertNull(s);
            return;
        }
        assertNotNull(s);
        // the read-ahead holds the file open until it has read the last piece; nobody consumes yet
        assertTrue(DirectIo.openedDirect(big), "open with O_DIRECT while reading ahead");
        assertArrayEquals(Files.readAllBytes(big), readAll(s).join());
        awaitClosed(big);
    }

    @Test
    void aConsumerThatGivesUpStopsTheReadAheadAndFreesItsBuffers() throws Exception {
        Content.Source s = DirectFileSource.open(big, 0, Files.size(big), align);
        if (!directSupported) {
            assertNull(s);
            return;
        }
        assertNotNull(s);
        Content.Chunk first = awaitChunk(s);
        assertTrue(first.hasRemaining());
        first.release();
        s.fail(new IOException("client went away"));
        Content.Chunk after = s.read();
        assertTrue(Content.Chunk.isFailure(after), "a failed source reads as its failure");
        Await.until("the read-ahead to stop and its buffers to come back",
                () -> AlignedBuffers.reserved() == reservedBefore, Duration.ofSeconds(10));
        awaitClosed(big);
    }

    @Test
    void aFileShorterThanTheRangeFailsTheBodyInsteadOfSendingShort() throws Exception {
        Content.Source s = DirectFileSource.open(file, MIB, BLOB.length, align); // runs 1 MiB past the end
        if (!directSupported) {
            assertNull(s);
            return;
        }
        assertNotNull(s);
        Throwable t = assertThrows(java.util.concurrent.CompletionException.class, () -> readAll(s).join()).getCause();
        assertTrue(t.getMessage().contains("ended at"), t.getMessage());
        Await.until("the buffers to come back", () -> AlignedBuffers.reserved() == reservedBefore, Duration.ofSeconds(10));
    }

    @Test
    void aMissingFileIsNotFoundNotAFallback() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> DirectFileSource.open(dir.resolve("gone"), 0, 10, align));
        assertEquals(reservedBefore, AlignedBuffers.reserved());
        assertFalse(Files.exists(dir.resolve("gone")));
    }

    private static void awaitClosed(Path f) {
        Await.until("the file to be closed", () -> {
            try {
                return DirectIo.openFlags(f).isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(10));
    }

    /** Reads the source to its last chunk, releasing each chunk, as a response's copy does. */
    private static CompletableFuture<byte[]> readAll(Content.Source s) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Runnable step = new Runnable() {
            @Override
            public void run() {
                while (true) {
                    Content.Chunk c = s.read();
                    if (c == null) {
                        s.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(c)) {
                        done.completeExceptionally(c.getFailure());
                        return;
                    }
                    ByteBuffer b = c.getByteBuffer();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.writeBytes(bytes);
                    boolean last = c.isLast();
                    c.release();
                    if (last) {
                        done.complete(out.toByteArray());
                        return;
                    }
                }
            }
        };
        step.run();
        return done;
    }

    private static Content.Chunk awaitChunk(Content.Source s) {
        CompletableFuture<Content.Chunk> f = new CompletableFuture<>();
        Runnable step = new Runnable() {
            @Override
            public void run() {
                Content.Chunk c = s.read();
                if (c == null) {
                    s.demand(this);
                } else {
                    f.complete(c);
                }
            }
        };
        step.run();
        return f.join();
    }

}
