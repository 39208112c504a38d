package nostr.blossom.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import nostr.blossom.testing.DirectIo;
import nostr.blossom.testing.RandomBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DirectWrites}: a file written with {@code O_DIRECT} through aligned staging buffers holds
 * exactly the bytes given, whatever their length (the last block is padded for the write and cut
 * off after), and every way out (finish, abandon, a refused open, a failed write) gives the
 * staging buffers back. Where the test directory's file system takes {@code O_DIRECT} (checked
 * with {@code dd oflag=direct}) the file must really be open with it; where it does not, the
 * writer must decline so the caller can use the page cache.
 */
@Timeout(60)
class DirectWritesTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private boolean directSupported;
    private int reservedBefore;

    @BeforeEach
    void probe() throws Exception {
        directSupported = DirectIo.supported(dir);
        reservedBefore = AlignedBuffers.reserved();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, MIB - 1, MIB, MIB + 1, 5 * MIB + 123})
    void writesExactlyTheBytesGivenInPiecesOfAnySize(int size) throws Exception {
        byte[] body = RandomBytes.of(size, size);
        Path file = dir.resolve("blob-" + size);
        DirectWrites.Writer w = DirectWrites.create(file);
        if (!directSupported) {
            assertNull(w, "dd could not write O_DIRECT here, so the writer must decline");
            assertFalse(Files.exists(file), "a declined direct open leaves no file");
            return;
        }
        assertNotNull(w, "dd wrote O_DIRECT into " + dir + ", so the writer must too");
        try (w) {
            assertTrue(DirectIo.openedDirect(file), "the file is open with O_DIRECT");
            SplittableRandom pieces = new SplittableRandom(7);
            for (int off = 0; off < size; ) {
                int n = Math.min(size - off, 1 + pieces.nextInt(200_000));
                w.write(ByteBuffer.allocateDirect(n).put(body, off, n).flip());
                off += n;
            }
            assertEquals(size, w.size());
            w.finish();
            w.channel().force(false);
        }
        assertEquals(size, Files.size(file), "the padding of the last block is cut off");
        assertArrayEquals(body, Files.readAllBytes(file));
        assertEquals(reservedBefore, AlignedBuffers.reserved(), "the buffer reservation ends with the writer");
    }

    @Test
    void aWriterClosedWithoutFinishingGivesItsBuffersBackAndStaysQuiet() throws Exception {
        Path file = dir.resolve("abandoned");
        DirectWrites.Writer w = DirectWrites.create(file);
        if (!directSupported) {
            assertNull(w);
            return;
        }
        assertNotNull(w);
        w.write(ByteBuffer.wrap(RandomBytes.of(3 * MIB + 5, 3)));
        assertTrue(AlignedBuffers.reserved() > reservedBefore);
        w.close();
        w.close(); // twice is harmless
        assertEquals(reservedBefore, AlignedBuffers.reserved());
    }

    @Test
    void aFileSystemThatRefusesODirectGetsNullAndNoFileLeftBehind() throws Exception {
        Path file = dir.resolve("refused");
        // what open(2) does on such a file system: the file may be created, then EINVAL
        DirectWrites.Writer w = DirectWrites.create(file, AlignedBuffers.alignment(dir), f -> {
            Files.createFile(f);
            throw new IOException("Invalid argument");
        });
        assertNull(w);
        assertFalse(Files.exists(file));
        assertEquals(reservedBefore, AlignedBuffers.reserved(), "a refused open keeps no reservation");
    }

    @Test
    void anExistingFileIsAnErrorNotAFallback() throws Exception {
        Path file = dir.resolve("taken");
        Files.write(file, new byte[] {1, 2, 3});
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> DirectWrites.create(file));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file), "the existing file is left alone");
        assertEquals(reservedBefore, AlignedBuffers.reserved());
    }

    @Test
    void whenEveryBufferIsReservedTheWriterDeclinesUntilOneIsFree() throws Exception {
        int free = AlignedBuffers.MAX_RESERVED - AlignedBuffers.reserved();
        assertTrue(AlignedBuffers.reserve(free));
        try {
            assertNull(DirectWrites.create(dir.resolve("busy")), "no buffers left: use the page cache");
            assertFalse(Files.exists(dir.resolve("busy")));
        } finally {
            AlignedBuffers.unreserve(free);
        }
        if (directSupported) {
            try (DirectWrites.Writer w = DirectWrites.create(dir.resolve("later"))) {
                assertNotNull(w);
            }
        }
    }

    @Test
    void aFailedWriteSurfacesFromFinish() throws Exception {
        Path file = dir.resolve("read-only");
        Files.createFile(file);
        // a channel that cannot write stands in for a disk error
        DirectWrites.Writer w = DirectWrites.create(dir.resolve("unused"), AlignedBuffers.alignment(dir), f -> FileChannel.open(file, StandardOpenOption.READ));
        assertNotNull(w);
        try (w) {
            // the failure shows on the next write that needs a buffer, or at the latest in finish
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 8; i++) {
                    w.write(ByteBuffer.wrap(RandomBytes.of(MIB, i)));
                }
                w.finish();
            });
            assertTrue(e.getMessage().contains("direct write failed"), e.getMessage());
        }
        assertEquals(reservedBefore, AlignedBuffers.reserved());
    }

}
