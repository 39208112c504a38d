package nostr.blossom.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import nostr.blossom.blob.AlignedBuffers;
import nostr.blossom.blob.DirectWrites;
import nostr.blossom.blob.HashingCopy;
import nostr.blossom.blob.Sha256;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;

/**
 * Blob bytes on disk, content-addressed: {@code <root>/ab/cd/<sha256>} for a hash starting
 * {@code abcd}, so no directory holds more than a 65,536th of the blobs.
 *
 * <p>An incoming blob is streamed into a temporary file under {@code <root>/tmp} (same file system,
 * so the final step is a rename) while it is hashed ({@link HashingCopy}: hashing and writing
 * overlap, flushes run beside the writes): its hash is only known once the last byte is in, and it
 * is never held in memory. Large blobs (from {@code directIoMin} bytes) bypass the page cache both
 * ways: written with {@code O_DIRECT} ({@link DirectWrites}) and served with it
 * ({@link DirectFileSource}), as nginx's {@code directio} does; a file system that refuses
 * {@code O_DIRECT} gets the ordinary path. {@link #promote} then renames it atomically into place
 * (after an fsync of the file, and of the directory after the rename, when {@code fsync} is on),
 * so a reader sees either no file or the whole blob. A receive that fails (the client went away,
 * the blob is too large) deletes its temporary file before it returns; {@link #open} deletes
 * temporary files left by a process that died mid-upload.
 */
public final class BlobFiles {
    /** Directory of temporary files, inside the root. */
    public static final String TEMP_DIR = "tmp";
    /** With fsync on, dirty pages are flushed while the blob streams in, so the final fsync is short. */
    private static final long FORCE_EVERY = 64L * 1024 * 1024;

    private final Path root;
    private final Path temp;
    private final boolean fsync;
    private final long directIoMin;
    /** The blob directory's block size for {@code O_DIRECT}, looked up once; -1 when it has none. */
    private final int directAlign;
    private final LongAdder directWrites = new LongAdder();
    private final LongAdder directReads = new LongAdder();

    private BlobFiles(Path root, boolean fsync, long directIoMin, int directAlign) {
        this.root = root;
        this.temp = root.resolve(TEMP_DIR);
        this.fsync = fsync;
        this.directIoMin = directIoMin;
        this.directAlign = directAlign;
    }

    /** A blob that arrived in a temporary file, hashed. */
    public record Received(Path temp, String sha256, long size) {}

    /**
     * Opens (creating) the blob directory and deletes the temporary files in it: this process owns
     * the directory, so any it finds are left by an upload that never finished.
     *
     * @param fsync whether blobs reach the disk before they are acknowledged
     */
    public static BlobFiles open(Path root, boolean fsync) throws IOException {
        return open(root, fsync, 0);
    }

    /**
     * As {@link #open(Path, boolean)}, with blobs of at least {@code directIoMin} bytes (0: none)
     * written and read with {@code O_DIRECT}, past the page cache, where the file system takes it.
     */
    public static BlobFiles open(Path root, boolean fsync, long directIoMin) throws IOException {
        if (directIoMin < 0) {
            throw new IllegalArgumentException("directIoMin must be 0 (never) or positive, got " + directIoMin);
        }
        Path abs = root.toAbsolutePath();
        Files.createDirectories(abs.resolve(TEMP_DIR));
        int align = directIoMin > 0 ? AlignedBuffers.alignment(abs) : -1;
        BlobFiles f = new BlobFiles(abs, fsync, directIoMin, align);
        f.removeTemporaryFiles();
        return f;
    }

    /** The blob directory. */
    public Path root() {
        return root;
    }

    /** Deletes every temporary file; returns how many. */
    public int removeTemporaryFiles() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(temp)) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Temporary files now present (uploads in progress). */
    public List<Path> temporaryFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(temp)) {
            ds.forEach(out::add);
        }
        return out;
    }

    /** Where the blob's file is (whether or not it exists). */
    public Path path(String sha256) {
        if (!Sha256.isHash(sha256)) {
            throw new IllegalArgumentException("not a blob hash: '" + sha256 + "'");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    /** True when the blob's file exists. */
    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /**
     * Streams {@code in} to its end into a new temporary file, hashing as it goes.
     *
     * @param limit most bytes accepted
     * @param expected the length announced for it, or -1: from {@code directIoMin} bytes on, the
     *     file is written with {@code O_DIRECT} ({@link DirectWrites}) where the file system takes it
     * @throws BlobTooLargeException when the stream goes past {@code limit} (reading stops there)
     * @throws IOException when reading or writing fails (e.g. the origin went away)
     */
    public Received receive(InputStream in, long limit, long expected) throws IOException, BlobTooLargeException {
        return receive(HashingCopy.source(in), limit, expected);
    }

    /**
     * Streams a request body (Jetty's {@link Content.Source}) to its end into a new temporary file,
     * hashing as it goes, with the hash and the file write overlapped ({@link HashingCopy}).
     *
     * @param limit most bytes accepted
     * @param expected the length announced for it ({@code Content-Length}), or -1: from
     *     {@code directIoMin} bytes on, the file is written with {@code O_DIRECT}
     *     ({@link DirectWrites}) where the file system takes it, else through the page cache
     * @throws BlobTooLargeException when the body goes past {@code limit} (reading stops there)
     * @throws IOException when reading or writing fails (e.g. the client disconnected)
     */
    public Received receive(Content.Source body, long limit, long expected) throws IOException, BlobTooLargeException {
        Path file = temp.resolve("upload-" + UUID.randomUUID() + ".part");
        boolean kept = false;
        try {
            HashingCopy.Result r;
            DirectWrites.Writer direct = direct(expected) ? DirectWrites.create(file, directAlign) : null;
            if (direct != null) {
                directWrites.increment();
                try (direct) {
                    r = HashingCopy.copy(body, direct, limit);
                    if (fsync) {
                        direct.channel().force(false);
                    }
                }
            } else {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    r = HashingCopy.copy(body, ch, limit, fsync ? FORCE_EVERY : 0);
                    if (fsync) {
                        ch.force(false);
                    }
                }
            }
            kept = true;
            return new Received(file, r.sha256(), r.size());
        } catch (HashingCopy.LimitExceeded e) {
            throw new BlobTooLargeException(limit);
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The body of a GET: bytes {@code [offset, offset + length)} of a blob file. From
     * {@code directIoMin} bytes on it is read with {@code O_DIRECT} ({@link DirectFileSource})
     * where the file system takes it, else through the page cache in pieces from {@code pool}.
     */
    public Content.Source read(Path file, long offset, long length, ByteBufferPool.Sized pool) throws IOException {
        Content.Source direct = direct(length) ? DirectFileSource.open(file, offset, length, directAlign) : null;
        if (direct != null) {
            directReads.increment();
            return direct;
        }
        return Content.Source.from(pool, file, offset, length);
    }

    private boolean direct(long length) {
        return directIoMin > 0 && directAlign > 0 && length >= directIoMin;
    }

    /** Blobs received with {@code O_DIRECT} since this opened. */
    public long directWrites() {
        return directWrites.sum();
    }

    /** Blob bodies served with {@code O_DIRECT} since this opened. */
    public long directReads() {
        return directReads.sum();
    }

    /**
     * Moves a received blob into place. When the blob's file already exists (the same bytes, by
     * their hash) the temporary file is deleted instead.
     *
     * @return true when this call created the blob's file
     */
    public boolean promote(Received r) throws IOException {
        Path target = path(r.sha256());
        if (Files.isRegularFile(target)) {
            Files.deleteIfExists(r.temp());
            return false;
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        try {
            Files.move(r.temp(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(r.temp());
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(r.temp());
            throw new IOException("the blob directory " + root + " cannot rename atomically: " + e.getMessage(), e);
        }
        if (fsync) {
            syncDirectory(dir);
        }
        return true;
    }

    /** Deletes a received blob that will not be kept. */
    public void discard(Received r) throws IOException {
        Files.deleteIfExists(r.temp());
    }

    /** Deletes the blob's file; true when it existed. */
    public boolean delete(String sha256) throws IOException {
        Path p = path(sha256);
        boolean existed;
        try {
            existed = Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            existed = false;
        }
        if (existed && fsync) {
            syncDirectory(p.getParent());
        }
        return existed;
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
