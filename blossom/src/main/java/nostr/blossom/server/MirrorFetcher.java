package nostr.blossom.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nostr.blossom.blob.MediaTypes;

/**
 * Fetches a blob for {@code PUT /mirror} (BUD-04) with the JDK HTTP client, streaming the origin's
 * body into the same temporary-file path uploads take ({@link BlobFiles#receive}): hashed on the
 * way, never held in memory. Redirects are followed by hand (at most {@value #MAX_REDIRECTS}) so
 * that every hop is checked against {@link MirrorSources}.
 */
final class MirrorFetcher implements AutoCloseable {
    static final int MAX_REDIRECTS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(executor)
            .build();
    private final MirrorSources sources;
    private final BlobFiles files;

    MirrorFetcher(MirrorSources sources, BlobFiles files) {
        this.sources = sources;
        this.files = files;
    }

    /** The fetched blob, in a temporary file, and the type the origin gave it. */
    record Fetched(BlobFiles.Received received, String type) {}

    /**
     * Fetches {@code url} into a temporary file.
     *
     * @param limit most bytes accepted
     * @throws Refusal 400/403 for a URL the policy refuses, 413 when the origin announces more than
     *     {@code limit}, 502 when the origin cannot be reached or does not answer 200
     */
    Fetched fetch(URI url, long limit) throws Refusal, BlobTooLargeException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            sources.check(current);
            HttpRequest req = HttpRequest.newBuilder(current).GET().timeout(HEADERS_TIMEOUT).build();
            HttpResponse<InputStream> res;
            try {
                res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new Refusal(502, "cannot fetch " + current + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refusal(503, "interrupted while fetching " + current);
            }
            try (InputStream body = res.body()) {
                int status = res.statusCode();
                if (status >= 300 && status < 400 && res.headers().firstValue("Location").isPresent()) {
                    current = current.resolve(res.headers().firstValue("Location").get());
                    continue;
                }
                if (status != 200) {
                    throw new Refusal(502, "origin " + current + " answered " + status);
                }
                OptionalLong length = res.headers().firstValueAsLong("Content-Length");
                if (length.isPresent() && length.getAsLong() > limit) {
                    throw new Refusal(413, "blob at " + current + " is " + length.getAsLong() + " bytes, the limit is " + limit);
                }
                String type = MediaTypes.normalize(res.headers().firstValue("Content-Type").orElse(null));
                try {
                    return new Fetched(files.receive(body, limit, length.orElse(-1)), type);
                } catch (IOException e) {
                    throw new Refusal(502, "fetching " + current + " failed mid-body: " + e.getMessage());
                }
            } catch (IOException e) {
                throw new Refusal(502, "cannot read the answer of " + current + ": " + e.getMessage());
            }
        }
        throw new Refusal(502, "more than " + MAX_REDIRECTS + " redirects from " + url);
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
