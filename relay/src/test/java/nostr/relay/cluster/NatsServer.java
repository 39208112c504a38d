package nostr.relay.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nats-server (Debian's package; {@code bin/test} installs it) on a free loopback port, with
 * a config file of its own in a temporary directory. Two users: {@code relay} may publish and
 * subscribe to everything; {@code mute} may subscribe but not publish the cluster's subjects (a
 * node whose messages never arrive). Stopped (SIGKILL, as a crash) and started again on the same
 * port by the tests; killed by PID on close.
 */
final class NatsServer implements AutoCloseable {
    static final String PASSWORD = "s3cret-nats";
    private static final Pattern LISTENING = Pattern.compile("Listening for client connections on [^:]+:(\\d+)");

    private final Path config;
    private final List<String> log = new ArrayList<>();
    private Process process;
    private int port;

    private NatsServer(Path config) {
        this.config = config;
    }

    /** Starts a server on any free port, accepting messages of up to {@code maxPayload} bytes. */
    static NatsServer start(Path dir, int maxPayload) throws IOException, InterruptedException {
        NatsServer s = new NatsServer(dir.resolve("nats.conf"));
        s.write(-1, maxPayload);
        s.launch();
        return s;
    }

    static NatsServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, 1024 * 1024);
    }

    private void write(int listenPort, int maxPayload) throws IOException {
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                max_payload: %d
                authorization {
                  users = [
                    {user: relay, password: "%s"}
                    {user: mute, password: "%s", permissions: {publish: {deny: ["parrhesia.>"]}}}
                  ]
                }
                """.formatted(listenPort, maxPayload, PASSWORD, PASSWORD));
    }

    private static String binary() {
        for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nats-server is not installed (apt-get install -y nats-server; bin/test installs it)");
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary(), "-c", config.toString()).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Process p = process;
        Thread.ofVirtual().start(() -> {
            int found = -1;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        found = Integer.parseInt(m.group(1));
                    }
                    if (line.contains("Server is ready")) {
                        ready.complete(found);
                    }
                }
            } catch (IOException e) {
                // the server died
            }
            ready.completeExceptionally(new IllegalStateException("nats-server exited: " + log()));
        });
        try {
            int p2 = ready.get(30, TimeUnit.SECONDS);
            if (port == 0) {
                port = p2;
                // Restarts listen on the same port: clients reconnect to the URL they know.
                write(port, maxPayloadInConfig());
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("nats-server did not start: " + log(), e);
        }
    }

    private int maxPayloadInConfig() throws IOException {
        Matcher m = Pattern.compile("max_payload: (\\d+)").matcher(Files.readString(config));
        m.find();
        return Integer.parseInt(m.group(1));
    }

    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    int port() {
        return port;
    }

    /** URL for user {@code relay} (publishes and subscribes). */
    String url() {
        return "nats://relay:" + PASSWORD + "@127.0.0.1:" + port;
    }

    /** URL for user {@code mute} (cannot publish the cluster's subjects). */
    String muteUrl() {
        return "nats://mute:" + PASSWORD + "@127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the server vanishes with everything in flight. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("nats-server " + process.pid() + " survived SIGKILL");
        }
    }

    /** Starts it again on the same port (after {@link #kill}). */
    void restart() throws IOException, InterruptedException {
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
