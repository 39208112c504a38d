package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import nostr.blossom.blob.BlobDescriptor;
import nostr.blossom.blob.Sha256;
import nostr.blossom.testing.Await;
import nostr.blossom.testing.Http;
import nostr.blossom.testing.Http.Reply;
import nostr.blossom.testing.Origin;
import nostr.blossom.testing.RawUpload;
import nostr.blossom.testing.Tokens;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Blossom server over real HTTP: BUD-01 (get, head, ranges, CORS), BUD-02 (upload), BUD-04
 * (mirror), BUD-06 (upload check), BUD-11 (every way a token can be wrong), BUD-12 (list, delete
 * by ownership), size, quota and uploader limits, and the file store's guarantees (a bad hash or
 * a client that disconnects mid-upload leaves nothing behind). Subclasses start the server: the
 * standalone {@link BlossomServer} here, the relay with Blossom mounted on SQLite and PostgreSQL
 * in the relay module. Each test uses fresh keys and random blobs, so tests share a server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BlossomServerContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A Blossom server under test. */
    public interface Running extends AutoCloseable {
        /** Its base URL ({@code http://127.0.0.1:<port>}). */
        URI url();

        /** Its blob files. */
        BlobFiles files();
    }

    /** What a test may configure. */
    public record Settings(long maxBlobBytes, long quotaBytes, Set<String> allowedUploaders, MirrorSources mirrorSources) {
        /** 1 MiB blobs, no quota, anyone uploads, mirrors from loopback allowed. */
        public static Settings defaults() {
            return new Settings(1024 * 1024, 0, Set.of(), MirrorSources.ANY_HOST);
        }
    }

    /** Starts a server storing blobs in {@code blobDir}. */
    protected abstract Running start(Path blobDir, Settings settings) throws Exception;

    @TempDir
    Path temp;

    protected Running server;
    private Path defaultDir;
    protected SecretKey alice;
    protected SecretKey bob;

    @BeforeAll
    void startDefault() throws Exception {
        defaultDir = Files.createTempDirectory("blossom-contract");
        server = start(defaultDir, Settings.defaults());
    }

    @AfterAll
    void stopDefault() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void keys() {
        alice = SecretKey.generate();
        bob = SecretKey.generate();
    }

    // ---- helpers ------------------------------------------------------------------------------

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    URI at(String path) {
        return at(server, path);
    }

    static URI at(Running s, String path) {
        return URI.create(s.url() + path);
    }

    Reply upload(Running s, SecretKey key, byte[] body, String type) {
        String sha = Sha256.of(body);
        return Http.put(at(s, "/upload"), body, "Authorization", Tokens.of(key, "upload").x(sha).header(),
                "X-SHA-256", sha, "Content-Type", type);
    }

    BlobDescriptor uploaded(SecretKey key, byte[] body, String type) {
        Reply r = upload(server, key, body, type);
        assertTrue(r.status() == 201 || r.status() == 200, r.status() + " " + r.reason());
        return BlobDescriptor.parse(r.text());
    }

    /** Nothing of this blob on the server: not served, no file, no temporary file. */
    void assertNothingStored(Running s, String sha) throws IOException {
        assertEquals(404, Http.head(at(s, "/" + sha)).status());
        assertFalse(s.files().exists(sha), "blob file of " + sha + " exists");
        assertEquals(List.of(), s.files().temporaryFiles());
    }

    void assertRefused(Reply r, int status, String reasonPart) {
        assertEquals(status, r.status(), "status, X-Reason: " + r.reason());
        assertTrue(r.reason().toLowerCase().contains(reasonPart.toLowerCase()),
                "X-Reason '" + r.reason() + "' should mention '" + reasonPart + "'");
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
    }

    // ---- BUD-02 upload and BUD-01 retrieval ---------------------------------------------------

    @Test
    void bud02UploadOfANewBlobIs201WithItsDescriptor() throws IOException {
        byte[] body = random(5000);
        String sha = Sha256.of(body);
        long before = Instant.now().getEpochSecond();
        Reply r = upload(server, alice, body, "image/png");
        assertEquals(201, r.status(), r.reason());
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        BlobDescriptor d = BlobDescriptor.parse(r.text());
        assertEquals(server.url() + "/" + sha + ".png", d.url());
        assertEquals(sha, d.sha256());
        assertEquals(5000, d.size());
        assertEquals("image/png", d.type());
        assertTrue(d.uploaded() >= before && d.uploaded() <= Instant.now().getEpochSecond(), "uploaded " + d.uploaded());
        // Content-addressed layout with a two-level fan-out.
        Path file = server.files().root().resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertArrayEquals(body, Files.readAllBytes(file));
        assertEquals(List.of(), server.files().temporaryFiles());
    }

    @Test
    void bud02UploadOfAnExistingBlobIs200() {
        byte[] body = random(100);
        assertEquals(201, upload(server, alice, body, "text/plain").status());
        Reply again = upload(server, bob, body, "text/plain");
        assertEquals(200, again.status(), again.reason());
        assertEquals(Sha256.of(body), BlobDescriptor.parse(again.text()).sha256());
        Reply same = upload(server, alice, body, "text/plain");
        assertEquals(200, same.status(), same.reason());
    }

    @Test
    void bud02UploadWithoutXSha256HeaderIsCheckedAgainstTheToken() throws IOException {
        byte[] body = random(300);
        String sha = Sha256.of(body);
        Reply ok = Http.put(at("/upload"), body, "Authorization", Tokens.of(alice, "upload").x(sha).header());
        assertEquals(201, ok.status(), ok.reason());
        assertEquals("application/octet-stream", BlobDescriptor.parse(ok.text()).type());
        assertTrue(BlobDescriptor.parse(ok.text()).url().endsWith(".bin"));

        byte[] other = random(300);
        Reply wrong = Http.put(at("/upload"), other, "Authorization", Tokens.of(alice, "upload").x(sha).header());
        assertRefused(wrong, 401, "x tag");
        assertNothingStored(server, Sha256.of(other));
    }

    @Test
    void bud02HashMismatchIs409AndStoresNothing() throws IOException {
        byte[] body = random(2000);
        String claimed = Sha256.of(random(10));
        Reply r = Http.put(at("/upload"), body, "Authorization", Tokens.of(alice, "upload").x(claimed).header(),
                "X-SHA-256", claimed);
        assertRefused(r, 409, "does not match");
        assertNothingStored(server, claimed);
        assertNothingStored(server, Sha256.of(body));
    }

    @Test
    void bud01GetServesTheBlobWithTypeLengthAndCors() {
        byte[] body = random(4096);
        BlobDescriptor d = uploaded(alice, body, "application/pdf");
        for (String path : List.of("/" + d.sha256(), "/" + d.sha256() + ".pdf", "/" + d.sha256() + ".png")) {
            Reply r = Http.get(at(path));
            assertEquals(200, r.status(), path);
            assertArrayEquals(body, r.body());
            assertEquals("application/pdf", r.header("Content-Type"));
            assertEquals("4096", r.header("Content-Length"));
            assertEquals("bytes", r.header("Accept-Ranges"));
            assertEquals("*", r.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void bud01HeadAnswersLikeGetWithoutABody() {
        byte[] body = random(777);
        BlobDescriptor d = uploaded(alice, body, "video/mp4");
        Reply r = Http.head(at("/" + d.sha256() + ".mp4"));
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        assertEquals("777", r.header("Content-Length"));
        assertEquals("video/mp4", r.header("Content-Type"));
        assertEquals("bytes", r.header("Accept-Ranges"));
    }

    @Test
    void bud01UnknownBlobIs404WithAReason() {
        String sha = Sha256.of(random(5));
        assertRefused(Http.get(at("/" + sha)), 404, "not found");
        Reply head = Http.head(at("/" + sha + ".jpg"));
        assertEquals(404, head.status());
        assertEquals("*", head.header("Access-Control-Allow-Origin"));
    }

    @Test
    void bud01RangesServePartialContent() {
        byte[] body = random(1000);
        BlobDescriptor d = uploaded(alice, body, "application/octet-stream");
        URI u = at("/" + d.sha256());
        Reply mid = Http.get(u, "Range", "bytes=100-199");
        assertEquals(206, mid.status());
        assertEquals("bytes 100-199/1000", mid.header("Content-Range"));
        assertEquals("100", mid.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(body, 100, 200), mid.body());

        Reply open = Http.get(u, "Range", "bytes=900-");
        assertEquals(206, open.status());
        assertArrayEquals(Arrays.copyOfRange(body, 900, 1000), open.body());

        Reply suffix = Http.get(u, "Range", "bytes=-10");
        assertEquals(206, suffix.status());
        assertEquals("bytes 990-999/1000", suffix.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(body, 990, 1000), suffix.body());

        Reply clipped = Http.get(u, "Range", "bytes=995-5000");
        assertEquals(206, clipped.status());
        assertArrayEquals(Arrays.copyOfRange(body, 995, 1000), clipped.body());

        // Several ranges are not supported: the whole blob, as RFC 9110 allows.
        Reply multi = Http.get(u, "Range", "bytes=0-1,5-6");
        assertEquals(200, multi.status());
        assertArrayEquals(body, multi.body());
    }

    @Test
    void bud01RangeOutsideTheBlobIs416() {
        BlobDescriptor d = uploaded(alice, random(50), "application/octet-stream");
        Reply r = Http.get(at("/" + d.sha256()), "Range", "bytes=50-60");
        assertRefused(r, 416, "outside");
        assertEquals("bytes */50", r.header("Content-Range"));
    }

    @Test
    void bud01PreflightAnswersTheCorsHeaders() {
        for (String path : List.of("/upload", "/mirror", "/list/" + alice.publicKey().hex(), "/" + Sha256.of(random(3)))) {
            Reply r = Http.send("OPTIONS", at(path), null, "Origin", "https://app.example", "Access-Control-Request-Method", "PUT");
            assertTrue(r.status() == 204 || r.status() == 200, path + " " + r.status());
            assertEquals("*", r.header("Access-Control-Allow-Origin"), path);
            assertTrue(r.header("Access-Control-Allow-Headers").contains("Authorization"), path);
            for (String m : List.of("GET", "HEAD", "PUT", "DELETE")) {
                assertTrue(r.header("Access-Control-Allow-Methods").contains(m), path + " " + m);
            }
            assertEquals("86400", r.header("Access-Control-Max-Age"));
        }
    }

    @Test
    void bud01WrongMethodIs405() {
        assertRefused(Http.send("POST", at("/upload"), new byte[0]), 405, "not supported");
        assertRefused(Http.send("PUT", at("/" + Sha256.of(random(3))), new byte[0]), 405, "not supported");
    }

    // ---- BUD-11 authorization -----------------------------------------------------------------

    @Test
    void bud11UploadWithoutAuthorizationIs401() throws IOException {
        byte[] body = random(64);
        String sha = Sha256.of(body);
        assertRefused(Http.put(at("/upload"), body, "X-SHA-256", sha), 401, "Authorization");
        assertNothingStored(server, sha);
    }

    @Test
    void bud11EveryInvalidUploadTokenIs401AndStoresNothing() throws IOException {
        byte[] body = random(128);
        String sha = Sha256.of(body);
        long now = Instant.now().getEpochSecond();
        String host = server.url().getHost();
        record Case(String name, String header, String reason) {}
        List<Case> cases = List.of(
                new Case("expired", Tokens.of(alice, "upload").x(sha).expiration(now - 1).header(), "expired"),
                new Case("no expiration", Tokens.of(alice, "upload").x(sha).expiration(null).header(), "expiration"),
                new Case("wrong t", Tokens.of(alice, "delete").x(sha).header(), "t tag"),
                new Case("missing x", Tokens.of(alice, "upload").header(), "x tag"),
                new Case("wrong x", Tokens.of(alice, "upload").x(Sha256.of(random(4))).header(), "x tags"),
                new Case("bad signature", Tokens.of(alice, "upload").x(sha).badSignatureHeader(), "signature"),
                new Case("tampered id", Tokens.of(alice, "upload").x(sha).tamperedHeader(), "id"),
                new Case("other server", Tokens.of(alice, "upload").x(sha).server("cdn.example.com").header(), "other servers"),
                new Case("wrong kind", Tokens.of(alice, "upload").x(sha).kind(27235).header(), "kind"),
                new Case("created in the future", Tokens.of(alice, "upload").x(sha).createdAt(now + 3600).header(), "future"),
                new Case("not Nostr scheme", "Bearer " + Tokens.of(alice, "upload").x(sha).header().substring(6), "scheme"),
                new Case("not base64", "Nostr %%%not-base64%%%", "base64"),
                new Case("not an event", "Nostr " + java.util.Base64.getUrlEncoder().encodeToString("{\"a\":1}".getBytes()), "event"));
        for (Case c : cases) {
            Reply r = Http.put(at("/upload"), body, "Authorization", c.header(), "X-SHA-256", sha);
            assertEquals(401, r.status(), c.name() + ": " + r.reason());
            assertTrue(r.reason().contains(c.reason()), c.name() + ": X-Reason '" + r.reason() + "' should mention '" + c.reason() + "'");
            assertNothingStored(server, sha);
        }
        // The same token, right this time, in each accepted encoding and with this server's scope.
        assertEquals(201, Http.put(at("/upload"), body, "Authorization",
                Tokens.of(alice, "upload").x(sha).server(host).standardBase64Header(), "X-SHA-256", sha).status());
        assertEquals(200, Http.put(at("/upload"), body, "Authorization",
                Tokens.of(bob, "upload").x(sha).server("cdn.example.com").server(host).header(), "X-SHA-256", sha).status());
    }

    @Test
    void bud11DeleteNeedsADeleteTokenNamingTheBlob() {
        BlobDescriptor d = uploaded(alice, random(90), "text/plain");
        URI u = at("/" + d.sha256());
        assertRefused(Http.delete(u), 401, "Authorization");
        assertRefused(Http.delete(u, "Authorization", Tokens.of(alice, "delete").header()), 401, "x tag");
        assertRefused(Http.delete(u, "Authorization", Tokens.of(alice, "upload").x(d.sha256()).header()), 401, "t tag");
        assertRefused(Http.delete(u, "Authorization", Tokens.of(alice, "delete").x(Sha256.of(random(2))).header()), 401, "x tags");
        assertRefused(Http.delete(u, "Authorization", Tokens.of(alice, "delete").x(d.sha256()).expiration(1L).header()), 401, "expired");
        assertEquals(200, Http.head(u).status());
    }

    @Test
    void bud11ATokenSentWithAReadIsCheckedToo() {
        BlobDescriptor d = uploaded(alice, random(30), "text/plain");
        URI u = at("/" + d.sha256());
        assertEquals(200, Http.get(u, "Authorization", Tokens.of(bob, "get").x(d.sha256()).header()).status());
        assertEquals(200, Http.get(u, "Authorization", Tokens.of(bob, "get").header()).status());
        assertRefused(Http.get(u, "Authorization", Tokens.of(bob, "get").x(Sha256.of(random(2))).header()), 401, "x tags");
        assertRefused(Http.get(u, "Authorization", Tokens.of(bob, "get").expiration(1L).header()), 401, "expired");
        URI list = at("/list/" + alice.publicKey().hex());
        assertRefused(Http.get(list, "Authorization", Tokens.of(bob, "upload").header()), 401, "t tag");
    }

    // ---- BUD-06 upload check ------------------------------------------------------------------

    @Test
    void bud06HeadUploadTellsWhetherAnUploadWouldBeAccepted() {
        String sha = Sha256.of(random(8));
        URI u = at("/upload");
        String token = Tokens.of(alice, "upload").x(sha).header();
        Reply ok = Http.head(u, "Authorization", token, "X-SHA-256", sha, "X-Content-Length", "1000", "X-Content-Type", "image/png");
        assertEquals(200, ok.status(), ok.reason());
        assertRefused(Http.head(u, "X-SHA-256", sha, "X-Content-Length", "1000"), 401, "Authorization");
        assertRefused(Http.head(u, "Authorization", token, "X-Content-Length", "1000"), 400, "X-SHA-256");
        assertRefused(Http.head(u, "Authorization", token, "X-SHA-256", "abc", "X-Content-Length", "1"), 400, "X-SHA-256");
        assertRefused(Http.head(u, "Authorization", token, "X-SHA-256", sha), 411, "X-Content-Length");
        assertRefused(Http.head(u, "Authorization", token, "X-SHA-256", sha, "X-Content-Length", "-5"), 400, "X-Content-Length");
        assertRefused(Http.head(u, "Authorization", token, "X-SHA-256", sha, "X-Content-Length", "2000000"), 413, "largest");
        Reply wrongX = Http.head(u, "Authorization", Tokens.of(alice, "upload").x(Sha256.of(random(3))).header(),
                "X-SHA-256", sha, "X-Content-Length", "10");
        assertRefused(wrongX, 401, "x tags");
    }

    // ---- limits -------------------------------------------------------------------------------

    @Test
    void maxSizeRefusesLargerBlobsWith413() throws Exception {
        try (Running small = start(temp.resolve("small"), new Settings(1000, 0, Set.of(), MirrorSources.ANY_HOST))) {
            byte[] fits = random(1000);
            assertEquals(201, upload(small, alice, fits, "a/b").status());
            byte[] big = random(1001);
            assertRefused(upload(small, alice, big, "a/b"), 413, "1000");
            assertNothingStored(small, Sha256.of(big));
            // Without Content-Length (chunked), the limit is enforced while streaming.
            String sha = Sha256.of(big);
            var req = java.net.http.HttpRequest.newBuilder(at(small, "/upload"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                    .header("Authorization", Tokens.of(alice, "upload").x(sha).header()).build();
            var res = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                    .send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals(413, res.statusCode());
            assertNothingStored(small, sha);
        }
    }

    @Test
    void quotaRefusesUploadsBeyondItWith429AndDeletesFreeIt() throws Exception {
        try (Running q = start(temp.resolve("quota"), new Settings(10_000, 1500, Set.of(), MirrorSources.ANY_HOST))) {
            byte[] a = random(1000);
            byte[] b = random(600);
            assertEquals(201, upload(q, alice, a, "a/b").status());
            Reply over = upload(q, alice, b, "a/b");
            assertRefused(over, 429, "quota");
            assertNothingStored(q, Sha256.of(b));
            String shaB = Sha256.of(b);
            assertRefused(Http.head(at(q, "/upload"), "Authorization", Tokens.of(alice, "upload").x(shaB).header(),
                    "X-SHA-256", shaB, "X-Content-Length", "600"), 429, "quota");
            // Uploading what one already owns costs nothing.
            assertEquals(200, upload(q, alice, a, "a/b").status());
            // Another pubkey has its own quota.
            assertEquals(201, upload(q, bob, b, "a/b").status());
            String shaA = Sha256.of(a);
            assertEquals(204, Http.delete(at(q, "/" + shaA), "Authorization", Tokens.of(alice, "delete").x(shaA).header()).status());
            assertEquals(200, upload(q, alice, b, "a/b").status());
        }
    }

    @Test
    void uploaderAllowlistRefusesOthersWith403() throws Exception {
        Set<String> allowed = Set.of(alice.publicKey().hex());
        try (Running only = start(temp.resolve("allow"), new Settings(10_000, 0, allowed, MirrorSources.ANY_HOST))) {
            assertEquals(201, upload(only, alice, random(10), "a/b").status());
            byte[] body = random(10);
            assertRefused(upload(only, bob, body, "a/b"), 403, "not allowed");
            assertNothingStored(only, Sha256.of(body));
        }
    }

    // ---- BUD-12 list and delete ---------------------------------------------------------------

    @Test
    void bud12ListReturnsTheOwnersBlobsNewestFirstInCursorPages() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(uploaded(alice, random(10 + i), "text/plain").sha256());
        }
        uploaded(bob, random(5), "text/plain");
        URI list = at("/list/" + alice.publicKey().hex());
        Reply all = Http.get(list);
        assertEquals(200, all.status());
        assertEquals("application/json", all.header("Content-Type"));
        List<BlobDescriptor> d = BlobDescriptor.parseArray(all.text());
        assertEquals(Set.copyOf(mine), Set.copyOf(d.stream().map(BlobDescriptor::sha256).toList()));
        for (int i = 1; i < d.size(); i++) {
            assertTrue(d.get(i - 1).uploaded() >= d.get(i).uploaded(), "newest first");
        }
        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 5; page++) {
            Reply r = Http.get(at("/list/" + alice.publicKey().hex() + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            assertEquals(200, r.status(), r.reason());
            List<BlobDescriptor> p = BlobDescriptor.parseArray(r.text());
            assertTrue(p.size() <= 2);
            if (p.isEmpty()) {
                break;
            }
            p.forEach(x -> paged.add(x.sha256()));
            cursor = p.getLast().sha256();
        }
        assertEquals(d.stream().map(BlobDescriptor::sha256).toList(), paged);
        assertEquals("[]", Http.get(at("/list/" + SecretKey.generate().publicKey().hex())).text());
    }

    @Test
    void bud12MalformedListQueriesAre400() {
        String pk = alice.publicKey().hex();
        assertRefused(Http.get(at("/list/npub1xyz")), 400, "pubkey");
        assertRefused(Http.get(at("/list/" + pk.toUpperCase())), 400, "pubkey");
        assertRefused(Http.get(at("/list/" + pk + "?limit=0")), 400, "limit");
        assertRefused(Http.get(at("/list/" + pk + "?limit=ten")), 400, "limit");
        assertRefused(Http.get(at("/list/" + pk + "?cursor=abc")), 400, "cursor");
        assertRefused(Http.get(at("/list/" + pk + "?cursor=" + Sha256.of(random(3)))), 400, "cursor");
    }

    @Test
    void bud12DeleteRemovesOnlyTheCallersOwnership() throws IOException {
        byte[] body = random(256);
        BlobDescriptor d = uploaded(alice, body, "text/plain");
        uploaded(bob, body, "text/plain");
        URI u = at("/" + d.sha256());
        Reply first = Http.delete(u, "Authorization", Tokens.of(alice, "delete").x(d.sha256()).header());
        assertEquals(204, first.status(), first.reason());
        // Bob still owns it: still served, still on disk, gone from Alice's list only.
        assertArrayEquals(body, Http.get(u).body());
        assertTrue(server.files().exists(d.sha256()));
        assertEquals("[]", Http.get(at("/list/" + alice.publicKey().hex())).text());
        assertEquals(1, BlobDescriptor.parseArray(Http.get(at("/list/" + bob.publicKey().hex())).text()).size());
        // Alice owns it no more: a second delete is refused.
        assertRefused(Http.delete(u, "Authorization", Tokens.of(alice, "delete").x(d.sha256()).header()), 403, "not owned");

        assertEquals(204, Http.delete(u, "Authorization", Tokens.of(bob, "delete").x(d.sha256()).header()).status());
        assertNothingStored(server, d.sha256());
        assertRefused(Http.delete(u, "Authorization", Tokens.of(bob, "delete").x(d.sha256()).header()), 404, "not found");
    }

    // ---- BUD-04 mirror ------------------------------------------------------------------------

    @Test
    void bud04MirrorFetchesTheBlobAndVerifiesItsHash() throws Exception {
        byte[] body = random(3000);
        String sha = Sha256.of(body);
        try (Origin origin = Origin.start()) {
            URI src = origin.serve("/files/" + sha + ".pdf", "application/pdf", body);
            URI hop = origin.redirect("/moved", src.toString());
            Reply r = Http.put(at("/mirror"), ("{\"url\":\"" + hop + "\"}").getBytes(),
                    "Authorization", Tokens.of(alice, "upload").x(sha).header(), "Content-Type", "application/json");
            assertEquals(201, r.status(), r.reason());
            BlobDescriptor d = BlobDescriptor.parse(r.text());
            assertEquals(sha, d.sha256());
            assertEquals("application/pdf", d.type());
            assertEquals(server.url() + "/" + sha + ".pdf", d.url());
            assertArrayEquals(body, Http.get(at("/" + sha)).body());
            Reply again = Http.put(at("/mirror"), ("{\"url\":\"" + src + "\"}").getBytes(),
                    "Authorization", Tokens.of(bob, "upload").x(sha).header());
            assertEquals(200, again.status(), again.reason());
        }
    }

    @Test
    void bud04MirrorOfBytesTheTokenDoesNotNameIs409AndStoresNothing() throws Exception {
        byte[] body = random(500);
        String sha = Sha256.of(body);
        String expected = Sha256.of(random(5));
        try (Origin origin = Origin.start()) {
            URI src = origin.serve("/" + expected, "text/plain", body);
            Reply r = Http.put(at("/mirror"), ("{\"url\":\"" + src + "\"}").getBytes(),
                    "Authorization", Tokens.of(alice, "upload").x(expected).header());
            assertRefused(r, 409, "not named");
            assertNothingStored(server, sha);
            assertNothingStored(server, expected);
        }
    }

    @Test
    void bud04BadMirrorRequestsAreRefused() throws Exception {
        String sha = Sha256.of(random(5));
        String token = Tokens.of(alice, "upload").x(sha).header();
        assertRefused(Http.put(at("/mirror"), "{\"url\":\"file:///etc/passwd\"}".getBytes(), "Authorization", token), 400, "http");
        assertRefused(Http.put(at("/mirror"), "{\"url\":\"ftp://example.com/x\"}".getBytes(), "Authorization", token), 400, "http");
        assertRefused(Http.put(at("/mirror"), "not json".getBytes(), "Authorization", token), 400, "JSON");
        assertRefused(Http.put(at("/mirror"), "{\"link\":\"x\"}".getBytes(), "Authorization", token), 400, "url");
        assertRefused(Http.put(at("/mirror"), "{\"url\":\"http://127.0.0.1:1/x\"}".getBytes()), 401, "Authorization");
        assertRefused(Http.put(at("/mirror"), "{\"url\":\"http://127.0.0.1:1/x\"}".getBytes(),
                "Authorization", Tokens.of(alice, "upload").header()), 401, "x tag");
        try (Origin origin = Origin.start()) {
            assertRefused(Http.put(at("/mirror"), ("{\"url\":\"" + origin.url("/missing") + "\"}").getBytes(),
                    "Authorization", token), 502, "404");
        }
        assertEquals(List.of(), server.files().temporaryFiles());
    }

    @Test
    void bud04PublicOnlyServersRefuseToMirrorFromLoopback() throws Exception {
        byte[] body = random(100);
        String sha = Sha256.of(body);
        try (Running pub = start(temp.resolve("public"), new Settings(10_000, 0, Set.of(), MirrorSources.PUBLIC_ONLY));
             Origin origin = Origin.start()) {
            URI src = origin.serve("/" + sha, "text/plain", body);
            Reply r = Http.put(at(pub, "/mirror"), ("{\"url\":\"" + src + "\"}").getBytes(),
                    "Authorization", Tokens.of(alice, "upload").x(sha).header());
            assertRefused(r, 403, "non-public");
            assertNothingStored(pub, sha);
        }
    }

    // ---- streaming and crash safety -----------------------------------------------------------

    @Test
    void aClientThatDisconnectsMidUploadLeavesNoPartialBlobOrTemporaryFile() throws Exception {
        byte[] body = random(512 * 1024);
        String sha = Sha256.of(body);
        String token = Tokens.of(alice, "upload").x(sha).header();
        // Cut the client off only once the server is writing the upload (its temporary file
        // exists), so that the cleanup below is really observed and not passed before it began.
        try (RawUpload partial = RawUpload.start(server.url(), token, sha, body.length,
                Arrays.copyOf(body, body.length / 2))) {
            Await.until("the upload's temporary file to appear", () -> {
                try {
                    return !server.files().temporaryFiles().isEmpty();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(30));
        }
        Await.until("the aborted upload's temporary file to be removed", () -> {
            try {
                return server.files().temporaryFiles().isEmpty();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(30));
        assertNothingStored(server, sha);
        // The server is fine afterwards: the whole upload succeeds.
        assertEquals(201, upload(server, alice, body, "a/b").status());
    }

    @Test
    void temporaryFilesLeftByACrashAreRemovedAtStart() throws Exception {
        Path dir = temp.resolve("restart");
        Path stale;
        try (Running first = start(dir, Settings.defaults())) {
            stale = first.files().root().resolve(BlobFiles.TEMP_DIR).resolve("upload-crashed.part");
        }
        Files.write(stale, random(100));
        try (Running second = start(dir, Settings.defaults())) {
            assertFalse(Files.exists(stale));
            assertEquals(List.of(), second.files().temporaryFiles());
        }
    }

    @Test
    void concurrentUploadsOfOneBlobStoreItOnce() throws Exception {
        byte[] body = random(200_000);
        String sha = Sha256.of(body);
        List<SecretKey> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(SecretKey.generate());
        }
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var ex = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (SecretKey k : keys) {
                ex.submit(() -> statuses.add(upload(server, k, body, "a/b").status()));
            }
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertArrayEquals(body, Http.get(at("/" + sha)).body());
        assertEquals(List.of(), server.files().temporaryFiles());
        assertNotNull(server.files().path(sha));
    }
}
