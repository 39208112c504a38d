package nostr.relay.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The single-writer guard of a SQLite data directory: an exclusive OS lock on
 * {@code <data_dir>/parrhesia.lock}, held by the running relay and by the tools that write
 * ({@code import}, {@code compact}) for as long as they run. The relay's writer assumes it is the
 * only one: a second writer would make its commits wait for SQLite's busy timeout and fail.
 * Readers ({@code export}, {@code stats}) need no lock: SQLite's WAL lets them read a consistent
 * snapshot beside the writer. The lock goes away with the process, also after kill -9; the file
 * (holding the owner's pid, for messages) stays.
 */
public final class DataDirLock implements AutoCloseable {
    /** The lock file's name in the data directory. */
    public static final String FILE_NAME = "parrhesia.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} (created if missing).
     *
     * @param purpose what the caller is about to do, for the message ("import")
     * @throws IllegalStateException naming the holder's pid when another process (or this one) holds it
     * @throws IOException when the lock file cannot be created or locked
     */
    public static DataDirLock acquire(Path dataDir, String purpose) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IllegalStateException("the data directory " + dataDir.toAbsolutePath() + " is in use by a running parrhesia"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it before " + purpose);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new DataDirLock(ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending or the file is gone: the OS drops the lock either way
        }
    }
}
