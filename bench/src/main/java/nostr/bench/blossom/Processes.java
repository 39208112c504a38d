package nostr.bench.blossom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Runs the external programs the Blossom benchmark compares against ({@code cp}, {@code sync}, {@code curl}). */
final class Processes {
    private Processes() {}

    /** Runs {@code cmd} to its end; its stderr goes to ours; a non-zero exit throws. Returns its stdout. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd).replaceAll("Authorization: \\S+ \\S+", "Authorization: ...")
                    + " exited " + p.exitValue());
        }
        return out;
    }

    /** True when {@code program --version} runs. */
    static boolean available(String program) {
        try {
            run(program, "--version");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
