package nostr.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs the {@code nostr} command in this JVM with captured streams, as {@code bin/nostr} would. */
final class Cli {
    private Cli() {}

    /** A finished run. */
    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }

        /** The single line of stderr (fails the test when there are more or none). */
        String errLine() {
            List<String> l = err.lines().toList();
            if (l.size() != 1) {
                throw new AssertionError("expected one line on stderr, got " + l.size() + ":\n" + err);
            }
            return l.getFirst();
        }
    }

    static Run nostr(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = NostrCli.run(args, new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run nostr(String stdin, String... args) {
        return nostr(stdin, Map.of(), args);
    }
}
