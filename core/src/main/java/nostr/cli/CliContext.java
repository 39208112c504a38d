package nostr.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a command runs against: its standard streams, environment, and whether standard input is
 * a terminal. {@link NostrCli#main} passes the process's own; tests pass captured streams.
 *
 * @param in standard input
 * @param out standard output (JSON lines, UTF-8)
 * @param err standard error (one-line messages)
 * @param env environment variables
 * @param stdinIsTerminal true when stdin is interactive: commands that read it only when it is
 *     piped (such as {@code event}) then leave it alone
 */
record CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                  boolean stdinIsTerminal) {

    /** The secret key environment variable: the default of every {@code --sec}. */
    static final String SECRET_KEY_ENV = "NOSTR_SECRET_KEY";

    /** Every line of standard input (UTF-8), read to its end. */
    List<String> stdinLines() {
        try {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (UncheckedIOException e) {
            throw CliException.usage("cannot read standard input: " + e.getCause().getMessage());
        }
    }

    /** All of standard input as UTF-8 text. */
    String stdinText() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw CliException.usage("cannot read standard input: " + e.getMessage());
        }
    }

    /** Prints one line to standard output and flushes it (streams stay live line by line). */
    void println(String line) {
        out.println(line);
        out.flush();
    }
}
