package nostr.relay.interop;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import nostr.core.testing.Repo;

/**
 * The reference JavaScript negentropy implementation (hoytech's js/Negentropy.js, shipped in
 * {@code @welshman/net}) as a server, through {@code interop/negentropy-harness.mjs} (the reference
 * project's harness line protocol): items in, {@code seal}, then one {@code msg,<hex>} answered by
 * one {@code msg,<hex>} line. A long-running node process driven line by line.
 */
final class ReferenceNegentropyServer implements AutoCloseable {
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final StringBuilder stderr = new StringBuilder();

    private ReferenceNegentropyServer(Process process) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        Thread.ofVirtual().start(() -> {
            try {
                String s = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (stderr) {
                    stderr.append(s);
                }
            } catch (IOException ignored) {
                // the process ended; its exit status tells
            }
        });
    }

    /** Starts the harness with the server's frame size limit (0: none). */
    static ReferenceNegentropyServer start(long frameSizeLimit) throws IOException {
        Path dir = Repo.root().resolve("interop");
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("interop/node_modules is missing: run bin/test (it runs npm ci)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", dir.resolve("negentropy-harness.mjs").toString()).directory(dir.toFile());
        pb.environment().put("FRAMESIZELIMIT", Long.toString(frameSizeLimit));
        return new ReferenceNegentropyServer(pb.start());
    }

    void item(long createdAt, String idHex) throws IOException {
        in.write("item," + createdAt + "," + idHex + "\n");
    }

    void seal() throws IOException {
        in.write("seal\n");
        in.flush();
    }

    /** Sends a client message, returns the server's reply (hex). */
    String reconcile(String hex) throws IOException {
        in.write("msg," + hex + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null || !line.startsWith("msg,")) {
            throw new IOException("reference harness answered " + line + "; stderr: " + stderrText());
        }
        return line.substring(4);
    }

    private String stderrText() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
