package nostr.relay.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import nostr.core.nip98.Nip98;
import nostr.core.testing.JsonTree;

/** A NIP-86 client for tests: builds bodies, signs NIP-98 headers, posts with the JDK HTTP client. */
final class AdminHttp {
    /** An answer: status, parsed body, the WWW-Authenticate header ("" when absent). */
    record Answer(int status, Map<String, Object> body, String authenticate) {
        Object result() {
            return body.get("result");
        }

        String error() {
            return (String) body.get("error");
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminHttp() {}

    /** {@code {"method": m, "params": [...]}} as compact JSON bytes. */
    static byte[] body(String method, Object... params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("params", Arrays.asList(params));
        return JsonTree.write(m).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid header for {@code body} posted to {@code url}, signed by {@code key}. */
    static String auth(SecretKey key, String url, byte[] body) {
        return Nip98.header(EventSigner.of(key), url, "POST", body);
    }

    /** Calls {@code method} as {@code key} with a correct header. */
    static Answer call(String url, SecretKey key, String method, Object... params) throws Exception {
        byte[] b = body(method, params);
        return post(url, ManagementEndpoint.CONTENT_TYPE, auth(key, url, b), b);
    }

    /** Posts raw: any content type, any Authorization value (null for none). */
    static Answer post(String url, String contentType, String authorization, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        HttpResponse<String> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertJson(res);
        return new Answer(res.statusCode(), JsonTree.object(res.body()),
                res.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    private static void assertJson(HttpResponse<String> res) {
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            throw new AssertionError("expected a JSON answer, got " + res.statusCode() + " " + type + ": " + res.body());
        }
    }

    /** A list result's entries. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries(Answer a) {
        return (List<Map<String, Object>>) a.result();
    }
}
