package nostr.blossom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the tests of the {@code O_DIRECT} paths check against without asking the code under test:
 * whether a directory's file system takes {@code O_DIRECT} (coreutils {@code dd oflag=direct}),
 * and whether this process holds a file open with {@code O_DIRECT} ({@code /proc/self/fdinfo}).
 */
public final class DirectIo {
    /** {@code O_DIRECT} in the {@code flags:} line of {@code /proc/<pid>/fdinfo/<fd>} (octal, x86 and arm64 differ). */
    private static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0200000 : 040000;

    private DirectIo() {}

    /** True when {@code dd} can write a block with {@code oflag=direct} into {@code dir}. */
    public static boolean supported(Path dir) throws IOException, InterruptedException {
        Path probe = dir.resolve(".o-direct-probe");
        try {
            Process p = new ProcessBuilder("dd", "if=/dev/zero", "of=" + probe, "bs=4096", "count=1", "oflag=direct")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("dd did not finish");
            }
            return p.exitValue() == 0;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The {@code flags:} of every descriptor this process has open on {@code file}. */
    public static List<Integer> openFlags(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).map(fd -> {
                try {
                    return Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString())).stream()
                            .filter(l -> l.startsWith("flags:")).findFirst()
                            .map(l -> Integer.parseInt(l.substring(6).strip(), 8)).orElse(-1);
                } catch (IOException e) {
                    return -1;
                }
            }).filter(f -> f >= 0).toList();
        }
    }

    /** True when some descriptor of this process has {@code file} open with {@code O_DIRECT}. */
    public static boolean openedDirect(Path file) throws IOException {
        return openFlags(file).stream().anyMatch(f -> (f & O_DIRECT) != 0);
    }
}
