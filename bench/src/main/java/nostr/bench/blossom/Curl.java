package nostr.bench.blossom;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code curl} as a second Blossom client: it moves bytes with plain {@code read}/{@code send}
 * calls and hashes nothing, so its rows show what the server alone costs.
 */
public final class Curl {
    private Curl() {}

    public static boolean available() {
        return Processes.available("curl");
    }

    /** {@code PUT /upload} of {@code file}; returns the HTTP status. */
    public static int upload(URI server, Path file, String sha256, String authorization) throws IOException, InterruptedException {
        String out = Processes.run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.toString(),
                "-H", "Content-Type: application/octet-stream", "-H", "X-SHA-256: " + sha256,
                "-H", "Authorization: " + authorization, server + "/upload");
        return Integer.parseInt(out.strip());
    }

    /** {@code GET /<sha256>} into {@code target}; returns the HTTP status. */
    public static int download(URI server, String sha256, Path target) throws IOException, InterruptedException {
        return get(URI.create(server + "/" + sha256), target);
    }

    /** {@code GET url} into {@code target}; returns the HTTP status. */
    public static int get(URI url, Path target) throws IOException, InterruptedException {
        String out = Processes.run("curl", "-sS", "-o", target.toString(), "-w", "%{http_code}", url.toString());
        return Integer.parseInt(out.strip());
    }

    /** A plain {@code PUT url} of {@code file} (no headers of ours: a WebDAV-style static server); returns the HTTP status. */
    public static int put(URI url, Path file) throws IOException, InterruptedException {
        String out = Processes.run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.toString(), url.toString());
        return Integer.parseInt(out.strip());
    }
}
