package nostr.bench.blossom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives every step that writes a large file the same starting conditions. On the KVM guests this
 * was measured on, writing into the page cache costs 0.3-0.4 s per GiB when the kernel hands out
 * pages that were freed a moment ago, and 1.2-2.6 s when it hands out pages freed some seconds
 * earlier (the guest reports free memory back to the host, which has to fault it in again on the
 * next touch): the same {@code cp} of 1 GiB took 0.32 s right after deleting an earlier copy and
 * 2.52 s eight seconds later. Left alone, whichever step happens to follow a delete looks fast.
 *
 * <p>{@link #prepare} therefore flushes dirty pages ({@code sync}, so no writeback of an earlier
 * step overlaps the next one), then writes and deletes a ballast file as large as the blob, so the
 * step that follows finds the same amount of recently freed memory whatever ran before it. With
 * {@code enabled} false only the {@code sync} is done.
 */
public final class FreshPages {
    private final Path source;
    private final Path ballast;
    private final boolean enabled;

    public FreshPages(Path source, Path ballast, boolean enabled) {
        this.source = source;
        this.ballast = ballast;
        this.enabled = enabled;
    }

    /** Call right before a timed step that writes about as much as {@code source} holds. */
    public void prepare() throws IOException, InterruptedException {
        Processes.run("sync");
        if (enabled) {
            Files.deleteIfExists(ballast);
            Processes.run("cp", source.toString(), ballast.toString());
            Files.delete(ballast);
        }
    }
}
