package nostr.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code interop/} under node, with {@code interop/node_modules} (installed by
 * bin/test) on its module path: the independent clients our interop tests compare against.
 */
public final class Node {
    private Node() {}

    /** Result of a finished script. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs {@code interop/<script>} with {@code args}, feeding {@code stdin}; fails on timeout. */
    public static Result run(String script, String stdin, String... args) {
        Path dir = Repo.root().resolve("interop");
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("interop/node_modules is missing: run bin/test (it runs npm ci)");
        }
        List<String> cmd = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
            Thread errReader;
            StringBuilder err = new StringBuilder();
            errReader = Thread.ofVirtual().start(() -> {
                try {
                    err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process died; its exit code tells
                }
            });
            Thread.ofVirtual().start(() -> {
                try (var in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the script closed stdin early; its output tells
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("node " + script + " timed out");
            }
            errReader.join();
            return new Result(p.exitValue(), out, err.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a script that must succeed and returns its stdout lines. */
    public static List<String> lines(String script, String stdin, String... args) {
        Result r = run(script, stdin, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("node " + script + " exited " + r.exitCode() + ": " + r.stderr());
        }
        return r.lines();
    }
}
