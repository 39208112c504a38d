package nostr.signer.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nostr.core.testing.Repo;

/**
 * A real parrhesia relay for interop tests, run as its own process through {@code bin/parrhesia}
 * (which builds the relay module first if needed) on 127.0.0.1 with an ephemeral port and a
 * temporary SQLite directory; stopped by PID.
 */
public final class Parrhesia implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (ws://[^\\s]+)");
    private final Process process;
    private final String url;

    private Parrhesia(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    public static Parrhesia start(Path dataDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Repo.root().resolve("bin/parrhesia").toString(),
                "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IOException("parrhesia exited: " + log));
        });
        try {
            return new Parrhesia(p, url.get(300, TimeUnit.SECONDS));
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            PrivateBus.Processes.stop(p);
            throw new IOException("parrhesia did not start: " + e.getMessage() + "\n" + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            PrivateBus.Processes.stop(p);
            throw new IOException(e);
        }
    }

    /** The relay's ws:// URL. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        PrivateBus.Processes.stop(process);
    }
}
