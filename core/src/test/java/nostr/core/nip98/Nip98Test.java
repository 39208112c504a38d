package nostr.core.nip98;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** NIP-98 "Nostr event" checks 1-4, the payload tag, and the "Request Flow" header format, including the NIP's example. */
class Nip98Test {
    private static final String EXAMPLE_HEADER = "Nostr eyJpZCI6ImZlOTY0ZTc1ODkwMzM2MGYyOGQ4NDI0ZDA5MmRhODQ5NGVkMjA3Y2JhODIzMTEwYmUzYTU3ZGZlNGI1Nzg3MzQiLCJwdWJrZXkiOiI2M2ZlNjMxOGRjNTg1ODNjZmUxNjgxMGY4NmRkMDllMThiZmQ3NmFhYmMyNGEwMDgxY2UyODU2ZjMzMDUwNGVkIiwiY29udGVudCI6IiIsImtpbmQiOjI3MjM1LCJjcmVhdGVkX2F0IjoxNjgyMzI3ODUyLCJ0YWdzIjpbWyJ1IiwiaHR0cHM6Ly9hcGkuc25vcnQuc29jaWFsL2FwaS92MS9uNXNwL2xpc3QiXSxbIm1ldGhvZCIsIkdFVCJdXSwic2lnIjoiNWVkOWQ4ZWM5NThiYzg1NGY5OTdiZGMyNGFjMzM3ZDAwNWFmMzcyMzI0NzQ3ZWZlNGEwMGUyNGY0YzMwNDM3ZmY0ZGQ4MzA4Njg0YmVkNDY3ZDlkNmJlM2U1YTUxN2JiNDNiMTczMmNjN2QzMzk0OWEzYWFmODY3MDVjMjIxODQifQ";
    private static final String EXAMPLE_URL = "https://api.snort.social/api/v1/n5sp/list";

    private final SecretKey key = SecretKey.generate();
    private final EventSigner signer = EventSigner.of(key);

    /**
     * The NIP's example header is unpadded base64 of the example event. That event is illustrative:
     * its id is not the hash of its contents (sha256 of the serialization is 2dd2dfec...), so every
     * check passes except the id, which must be caught.
     */
    @Test
    void nip98ExampleHeaderOfTheNipDecodesAndOnlyItsIdFails() throws Exception {
        Event e = Nip98.decode(EXAMPLE_HEADER);
        assertEquals("fe964e758903360f28d8424d092da8494ed207cba823110be3a57dfe4b578734", e.id());
        assertEquals("63fe6318dc58583cfe16810f86dd09e18bfd76aabc24a0081ce2856f330504ed", e.pubkey());
        assertEquals(List.of(List.of("u", EXAMPLE_URL), List.of("method", "GET")), e.tags());
        assertEquals("2dd2dfec3df85dd0d4c32af50241f56a077b0969cb508f987afac1e25b0d4c76", e.computeId());
        assertEquals("auth event id does not match its contents",
                reason(() -> Nip98.verify(EXAMPLE_HEADER, EXAMPLE_URL, "GET", null, 1682327852L + 30)));
        assertEquals("auth event created_at 1682327852 is more than 60 s from the server time 1682327913",
                reason(() -> Nip98.verify(EXAMPLE_HEADER, EXAMPLE_URL, "GET", null, 1682327852L + 61)));
    }

    @Test
    void nip98HeaderRoundTripsWithPayload() throws Exception {
        byte[] body = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String url = "https://example.com/api?x=1&y=%20";
        String header = Nip98.header(signer, url, "POST", body);
        assertTrue(header.startsWith("Nostr "));
        long now = Nip98.decode(header).createdAt();
        Event e = Nip98.verify(header, url, "POST", body, now);
        assertEquals(key.publicKey().hex(), e.pubkey());
        assertEquals(Nip98.KIND, e.kind());
        assertEquals("", e.content());
        assertEquals(nostr.core.Hex.encode(java.security.MessageDigest.getInstance("SHA-256").digest(body)), e.tagValue("payload"));
        assertEquals(e, Nip98.verify(header, url, "post", null, now), "method case and unchecked body");
    }

    @Test
    void nip98RefusesEachFailedCheckWithItsReason() throws Exception {
        String url = "https://example.com/upload";
        byte[] body = {1, 2, 3};
        long now = System.currentTimeMillis() / 1000;
        String good = Nip98.header(signer, url, "PUT", body);

        assertEquals("u tag does not match the request URL", reason(() -> Nip98.verify(good, url + "?a=1", "PUT", body, now)));
        assertEquals("method tag PUT does not match the request method POST", reason(() -> Nip98.verify(good, url, "POST", body, now)));
        assertEquals("payload tag does not match the SHA-256 of the request body",
                reason(() -> Nip98.verify(good, url, "PUT", new byte[] {1, 2}, now)));
        assertTrue(reason(() -> Nip98.verify(good, url, "PUT", body, now + 120)).contains("is more than 60 s"));
        assertTrue(reason(() -> Nip98.verify(good, url, "PUT", body, now - 120)).contains("is more than 60 s"));

        String noPayload = Nip98.header(signer, url, "PUT", null);
        assertEquals("auth event has no payload tag for a request with a body",
                reason(() -> Nip98.verify(noPayload, url, "PUT", body, now)));
        Nip98.verify(noPayload, url, "PUT", new byte[0], now);

        String wrongKind = Nip98.header(EventTemplate.of(1, "", List.of(List.of("u", url), List.of("method", "PUT"))).sign(key));
        assertEquals("auth event must be kind 27235, got 1", reason(() -> Nip98.verify(wrongKind, url, "PUT", null, now)));
        String noU = Nip98.header(EventTemplate.of(Nip98.KIND, "", List.of(List.of("method", "PUT"))).sign(key));
        assertEquals("auth event has no u tag", reason(() -> Nip98.verify(noU, url, "PUT", null, now)));
        String noMethod = Nip98.header(EventTemplate.of(Nip98.KIND, "", List.of(List.of("u", url))).sign(key));
        assertEquals("auth event has no method tag", reason(() -> Nip98.verify(noMethod, url, "PUT", null, now)));
    }

    @Test
    void nip98RefusesForgedIdsAndSignatures() throws Exception {
        String url = "https://example.com/";
        Event e = Nip98.template(url, "GET", null).sign(key);
        long now = e.createdAt();
        String forgedJson = e.json().replace("\"GET\"", "\"get\"");
        String forged = "Nostr " + Base64.getEncoder().encodeToString(forgedJson.getBytes(StandardCharsets.UTF_8));
        assertEquals("auth event id does not match its contents", reason(() -> Nip98.verify(forged, url, "GET", null, now)));
        char last = e.sig().charAt(127);
        String badSigJson = e.json().replace(e.sig(), e.sig().substring(0, 127) + (last == '0' ? '1' : '0'));
        String badSig = "Nostr " + Base64.getEncoder().encodeToString(badSigJson.getBytes(StandardCharsets.UTF_8));
        assertEquals("auth event signature is invalid", reason(() -> Nip98.verify(badSig, url, "GET", null, now)));
    }

    @Test
    void nip98RefusesMalformedHeaders() {
        assertEquals("missing Authorization header", reason(() -> Nip98.verify(null, "u", "GET", null, 0)));
        assertEquals("missing Authorization header", reason(() -> Nip98.verify("  ", "u", "GET", null, 0)));
        assertEquals("Authorization header must use the Nostr scheme", reason(() -> Nip98.verify("Bearer abc", "u", "GET", null, 0)));
        assertEquals("Authorization header must use the Nostr scheme", reason(() -> Nip98.verify("eyJ9", "u", "GET", null, 0)));
        assertTrue(reason(() -> Nip98.verify("Nostr ***", "u", "GET", null, 0)).startsWith("Authorization token is not valid base64"));
        String notJson = "Nostr " + Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
        assertTrue(reason(() -> Nip98.verify(notJson, "u", "GET", null, 0)).startsWith("Authorization token is not a valid event: malformed JSON"));
        String notEvent = "Nostr " + Base64.getEncoder().encodeToString("{\"kind\":27235}".getBytes(StandardCharsets.UTF_8));
        assertEquals("Authorization token is not a valid event: missing field id", reason(() -> Nip98.verify(notEvent, "u", "GET", null, 0)));
        assertTrue(reason(() -> Nip98.verify("Nostr " + "A".repeat(Nip98.MAX_HEADER_CHARS), "u", "GET", null, 0))
                .startsWith("Authorization header is longer than"));
        assertEquals("NIP-98 url must not be blank", assertThrows(IllegalArgumentException.class,
                () -> Nip98.template(" ", "GET", null)).getMessage());
        assertEquals("NIP-98 method must not be blank", assertThrows(IllegalArgumentException.class,
                () -> Nip98.template("https://x", "", null)).getMessage());
    }

    private static String reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(HttpAuthException.class, e).getMessage();
    }
}
