package nostr.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a launcher of {@code bin/} (such as {@code bin/nostr}) as a separate process, the way a user
 * does: arguments, stdin text, extra environment; collects exit code, stdout and stderr. The
 * launcher uses the module's packaged jar, so tests calling this run after {@code package}
 * (as {@code *IT} classes under failsafe).
 */
public final class BinScript {
    private BinScript() {}

    /** A finished run. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Non-blank stdout lines. */
        public List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs {@code bin/<program> args...} with {@code stdin} (null: empty) and extra {@code env}. */
    public static Result run(String program, String stdin, Map<String, String> env, String... args) {
        Process p = start(program, env, args);
        StringBuilder err = new StringBuilder();
        Thread errReader = Thread.ofVirtual().start(() -> err.append(readAll(p.getErrorStream())));
        Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the program did not read all of stdin; its exit code tells
            }
        });
        String out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bin/" + program + " did not finish within 180 s");
            }
            errReader.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new Result(p.exitValue(), out, err.toString());
    }

    /** Runs without extra environment. */
    public static Result run(String program, String stdin, String... args) {
        return run(program, stdin, Map.of(), args);
    }

    /** Starts {@code bin/<program> args...}; the caller owns the process (and must end it). */
    public static Process start(String program, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Repo.root().resolve("bin").resolve(program).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile());
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start bin/" + program, e);
        }
    }

    /** Waits for {@code p} to exit; kills it and fails after {@code timeout}. */
    public static int waitFor(Process p, Duration timeout) throws InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("process did not exit within " + timeout);
        }
        return p.exitValue();
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
