package nostr.blossom.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Plain HTTP requests for server tests, with the JDK client (not our BlossomClient): every header
 * and body byte is the test's choice.
 */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {}

    /** A response, body read whole (tests use small blobs). */
    public record Reply(int status, HttpHeaders headers, byte[] body) {
        public String reason() {
            return headers.firstValue("X-Reason").orElse("");
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * Sends {@code method} to {@code url} with alternating header names and values.
     *
     * @param body null for none
     */
    public static Reply send(String method, URI url, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Reply get(URI url, String... headers) {
        return send("GET", url, null, headers);
    }

    public static Reply head(URI url, String... headers) {
        return send("HEAD", url, null, headers);
    }

    public static Reply put(URI url, byte[] body, String... headers) {
        return send("PUT", url, body, headers);
    }

    public static Reply delete(URI url, String... headers) {
        return send("DELETE", url, null, headers);
    }
}
