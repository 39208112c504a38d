package nostr.relay.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bin/parrhesia's main class in a JVM of its own (the test's class path), so tests can kill it
 * with SIGKILL. Its URL is read from the startup line.
 */
public final class RelayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (ws://\\S+)");

    private final Process process;
    private final String url;
    private final List<String> log;
    private final CompletableFuture<Void> outputEnded;

    private RelayProcess(Process process, String url, List<String> log, CompletableFuture<Void> outputEnded) {
        this.process = process;
        this.url = url;
        this.log = log;
        this.outputEnded = outputEnded;
    }

    public static RelayProcess start(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"),
                "nostr.relay.ParrhesiaMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        List<String> lines = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the process died
            }
            url.completeExceptionally(new IllegalStateException("relay exited before listening: " + lines));
            ended.complete(null);
        });
        try {
            return new RelayProcess(p, url.get(120, TimeUnit.SECONDS), lines, ended);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("relay did not start: " + lines, e);
        }
    }

    public String url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    /** What the process printed so far. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** SIGTERM, then waits for the exit and the last of its output; returns the exit status. */
    public int terminate() throws Exception {
        // Through the handle: Process.destroy() would also close our end of its output pipe.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("relay " + process.pid() + " did not stop within 60 s of SIGTERM");
        }
        outputEnded.get(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("relay " + process.pid() + " survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
