package nostr.blossom.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nostr.blossom.auth.AuthVerb;
import nostr.blossom.auth.BlossomAuth;
import nostr.blossom.blob.BlobDescriptor;
import nostr.blossom.blob.HashingCopy;
import nostr.blossom.blob.MediaTypes;
import nostr.blossom.blob.Sha256;
import nostr.core.Hex;
import nostr.core.client.RelayPool;
import nostr.core.event.EventSigner;
import nostr.core.json.Json;

/**
 * A Blossom client on the JDK HTTP client: upload (BUD-02, with the BUD-06 check available),
 * {@code HEAD}/{@code GET} with ranges (BUD-01), list and delete (BUD-12), mirror (BUD-04), each
 * authorized with a BUD-11 token signed by an {@link EventSigner} and scoped to the server's
 * domain and the blob's hash. Bytes are streamed both ways, never held in memory: an upload hashes
 * its file first (one read), then sends it; a download hashes while it writes and refuses bytes
 * that do not hash to the blob asked for ({@link BlossomClientException#hashMismatch()}).
 *
 * <p>Several servers (BUD-03): {@link #uploadFirst} and {@link #downloadFirst} try servers in the
 * order given and stop at the first that works; {@link ServerList#fetch} reads a user's kind 10063
 * list from relays, and {@link #downloadFromUserServers}/{@link #uploadToUserServers} combine the two.
 *
 * <pre>{@code
 * try (BlossomClient c = BlossomClient.create(EventSigner.of(key))) {
 *     BlobDescriptor d = c.upload(URI.create("http://127.0.0.1:7777"), Path.of("home.tar"), "application/x-tar");
 *     c.download(URI.create("http://127.0.0.1:7777"), d.sha256(), Path.of("copy.tar"));
 * }
 * }</pre>
 */
public final class BlossomClient implements AutoCloseable {
    private static final int CHUNK = 256 * 1024;
    /** How long the tokens this client signs stay valid. */
    static final Duration TOKEN_TTL = Duration.ofMinutes(10);

    private final EventSigner signer;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    private BlossomClient(EventSigner signer, Duration timeout) {
        this.signer = signer;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(executor)
                .build();
    }

    /**
     * A client signing as {@code signer} (null for a client that only reads: HEAD, GET, list).
     * Requests wait at most 30 s for a connection and for response headers.
     */
    public static BlossomClient create(EventSigner signer) {
        return create(signer, Duration.ofSeconds(30));
    }

    /** As {@link #create(EventSigner)} with another connect and response-headers timeout. */
    public static BlossomClient create(EventSigner signer, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new BlossomClient(signer, timeout);
    }

    // ---- upload -------------------------------------------------------------------------------

    /**
     * Uploads a file ({@code PUT /upload}); it is read twice, once to hash it and once to send it.
     *
     * @param type its MIME type, or null for {@code application/octet-stream}
     * @return the server's descriptor (its sha256 checked against the file's)
     */
    public BlobDescriptor upload(URI server, Path file, String type) throws BlossomClientException {
        String sha = hashFile(file);
        return upload(server, file, sha, type);
    }

    /** Uploads a file whose SHA-256 the caller already knows (saves the hashing pass). */
    public BlobDescriptor upload(URI server, Path file, String sha256, String type) throws BlossomClientException {
        requireHash(sha256);
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw BlossomClientException.unreachable("cannot read " + file, e);
        }
        // Expect: 100-continue lets the server refuse (size, quota, auth) before the body is sent,
        // so a refusal arrives as its status and reason instead of a reset mid-upload.
        HttpRequest req = request(server, "/upload")
                .expectContinue(true)
                .PUT(body)
                .header("Content-Type", type == null ? MediaTypes.OCTET_STREAM : type)
                .header("X-SHA-256", sha256)
                .header("Authorization", token(AuthVerb.UPLOAD, server, sha256))
                .build();
        String json = sendForString(req, "upload " + sha256 + " to " + server);
        BlobDescriptor d = descriptor(json, "upload to " + server);
        if (!d.sha256().equals(sha256)) {
            throw new BlossomClientException("upload to " + server + ": the server described blob " + d.sha256()
                    + " instead of " + sha256, -1, true, null);
        }
        return d;
    }

    /**
     * Uploads everything {@code in} yields: it is first copied to a temporary file while being
     * hashed (the token must name the hash before the upload starts), then sent from there.
     */
    public BlobDescriptor upload(URI server, InputStream in, String type) throws BlossomClientException {
        Path spool = null;
        try {
            spool = Files.createTempFile("blossom-upload-", ".part");
            String sha = copyHashing(in, spool);
            return upload(server, spool, sha, type);
        } catch (IOException e) {
            if (e instanceof BlossomClientException be) {
                throw be;
            }
            throw BlossomClientException.unreachable("cannot spool the upload", e);
        } finally {
            deleteQuietly(spool);
        }
    }

    /**
     * Asks whether an upload would be accepted ({@code HEAD /upload}, BUD-06).
     *
     * @return normally; a refusal throws with the server's status and reason
     */
    public void checkUpload(URI server, String sha256, long size, String type) throws BlossomClientException {
        requireHash(sha256);
        HttpRequest.Builder b = request(server, "/upload")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("X-SHA-256", sha256)
                .header("X-Content-Length", Long.toString(size))
                .header("Authorization", token(AuthVerb.UPLOAD, server, sha256));
        if (type != null) {
            b.header("X-Content-Type", type);
        }
        HttpResponse<Void> res = send(b.build(), HttpResponse.BodyHandlers.discarding(), "upload check at " + server);
        if (res.statusCode() != 200) {
            throw BlossomClientException.refused("upload check at " + server, res.statusCode(), reason(res));
        }
    }

    // ---- retrieve -----------------------------------------------------------------------------

    /** {@code HEAD /<sha256>}: the blob's size and type, or empty when the server answers 404. */
    public Optional<BlobInfo> head(URI server, String sha256) throws BlossomClientException {
        requireHash(sha256);
        HttpRequest req = request(server, "/" + sha256).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> res = send(req, HttpResponse.BodyHandlers.discarding(), "HEAD " + sha256 + " at " + server);
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() != 200) {
            throw BlossomClientException.refused("HEAD " + sha256 + " at " + server, res.statusCode(), reason(res));
        }
        long size = res.headers().firstValueAsLong("Content-Length").orElse(-1);
        String type = res.headers().firstValue("Content-Type").orElse(MediaTypes.OCTET_STREAM);
        boolean ranges = res.headers().allValues("Accept-Ranges").stream().anyMatch(v -> v.contains("bytes"));
        return Optional.of(new BlobInfo(size, type, ranges));
    }

    /**
     * Downloads a blob into {@code target}: streamed into a temporary file beside it while hashed,
     * moved into place only when the hash matches (otherwise deleted, and the exception has
     * {@link BlossomClientException#hashMismatch()}).
     *
     * @return bytes written
     */
    public long download(URI server, String sha256, Path target) throws BlossomClientException {
        requireHash(sha256);
        Path abs = target.toAbsolutePath();
        Path part = abs.resolveSibling("." + abs.getFileName() + "." + UUID.randomUUID() + ".part");
        String what = "download " + sha256 + " from " + server;
        HttpResponse<InputStream> res = send(getRequest(server, sha256, null), HttpResponse.BodyHandlers.ofInputStream(), what);
        try (InputStream in = res.body()) {
            expectStatus(res, 200, what);
            String actual = copyHashing(in, part);
            if (!actual.equals(sha256)) {
                throw BlossomClientException.mismatch(what, sha256, actual);
            }
            Files.move(part, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(abs);
        } catch (IOException e) {
            throw asClientException(what, e);
        } finally {
            deleteQuietly(part);
        }
    }

    /**
     * Downloads a blob into {@code out} as it arrives, hashing it. The bytes reach {@code out}
     * before the hash can be checked: a mismatch throws at the end, so treat what was written as
     * untrusted until this returns.
     *
     * @return bytes written
     */
    public long download(URI server, String sha256, OutputStream out) throws BlossomClientException {
        requireHash(sha256);
        String what = "download " + sha256 + " from " + server;
        HttpResponse<InputStream> res = send(getRequest(server, sha256, null), HttpResponse.BodyHandlers.ofInputStream(), what);
        try (InputStream in = res.body()) {
            expectStatus(res, 200, what);
            MessageDigest d = Sha256.digest();
            long n = copy(in, out, d);
            String actual = Hex.encode(d.digest());
            if (!actual.equals(sha256)) {
                throw BlossomClientException.mismatch(what, sha256, actual);
            }
            return n;
        } catch (IOException e) {
            throw asClientException(what, e);
        }
    }

    /**
     * Downloads bytes {@code first} to {@code last} (inclusive) of a blob ({@code Range}, 206). A
     * part of a blob cannot be checked against the blob's hash; the length and
     * {@code Content-Range} are checked.
     *
     * @return bytes written
     */
    public long downloadRange(URI server, String sha256, long first, long last, OutputStream out) throws BlossomClientException {
        requireHash(sha256);
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("range must satisfy 0 <= first <= last, got " + first + "-" + last);
        }
        String what = "download bytes " + first + "-" + last + " of " + sha256 + " from " + server;
        HttpResponse<InputStream> res = send(getRequest(server, sha256, "bytes=" + first + "-" + last),
                HttpResponse.BodyHandlers.ofInputStream(), what);
        try (InputStream in = res.body()) {
            expectStatus(res, 206, what);
            String cr = res.headers().firstValue("Content-Range").orElse("");
            if (!cr.startsWith("bytes " + first + "-")) {
                throw new BlossomClientException(what + ": unexpected Content-Range '" + cr + "'", 206, false, null);
            }
            return copy(in, out, null);
        } catch (IOException e) {
            throw asClientException(what, e);
        }
    }

    // ---- manage -------------------------------------------------------------------------------

    /**
     * One page of a user's blobs ({@code GET /list/<pubkey>}, BUD-12), newest first.
     *
     * @param cursor sha256 of the last blob of the previous page, or null
     * @param limit page size, or 0 for the server's default
     */
    public List<BlobDescriptor> list(URI server, String pubkey, String cursor, int limit) throws BlossomClientException {
        if (!Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + pubkey + "'");
        }
        StringBuilder path = new StringBuilder("/list/").append(pubkey);
        char sep = '?';
        if (cursor != null) {
            requireHash(cursor);
            path.append(sep).append("cursor=").append(cursor);
            sep = '&';
        }
        if (limit > 0) {
            path.append(sep).append("limit=").append(limit);
        }
        HttpRequest.Builder b = request(server, path.toString()).GET();
        if (signer != null) {
            b.header("Authorization", token(AuthVerb.LIST, server, null));
        }
        String json = sendForString(b.build(), "list " + pubkey + " at " + server);
        try {
            return BlobDescriptor.parseArray(json);
        } catch (IllegalArgumentException e) {
            throw new BlossomClientException("list at " + server + ": " + e.getMessage(), 200, false, e);
        }
    }

    /**
     * Gives up this signer's ownership of a blob ({@code DELETE /<sha256>}); the server deletes the
     * blob when no owner is left.
     *
     * @return true when the server deleted it or the ownership, false when it answered 404
     */
    public boolean delete(URI server, String sha256) throws BlossomClientException {
        requireHash(sha256);
        HttpRequest req = request(server, "/" + sha256).DELETE()
                .header("Authorization", token(AuthVerb.DELETE, server, sha256)).build();
        String what = "delete " + sha256 + " at " + server;
        HttpResponse<Void> res = send(req, HttpResponse.BodyHandlers.discarding(), what);
        if (res.statusCode() == 404) {
            return false;
        }
        if (res.statusCode() != 200 && res.statusCode() != 204) {
            throw BlossomClientException.refused(what, res.statusCode(), reason(res));
        }
        return true;
    }

    /**
     * Asks {@code server} to copy a blob from {@code sourceUrl} ({@code PUT /mirror}, BUD-04); the
     * token names {@code sha256}, so the server keeps the copy only if it hashes to that.
     */
    public BlobDescriptor mirror(URI server, String sourceUrl, String sha256) throws BlossomClientException {
        requireHash(sha256);
        String body = "{\"url\":" + Json.quote(sourceUrl) + "}";
        HttpRequest req = request(server, "/mirror")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-SHA-256", sha256)
                .header("Authorization", token(AuthVerb.UPLOAD, server, sha256))
                .build();
        return descriptor(sendForString(req, "mirror " + sha256 + " to " + server), "mirror to " + server);
    }

    // ---- several servers (BUD-03) -------------------------------------------------------------

    /** Where an upload to several servers landed, and why the servers before it failed. */
    public record Uploaded(URI server, BlobDescriptor descriptor, Map<URI, BlossomClientException> failures) {}

    /**
     * Uploads to the first server of {@code servers} that accepts the file, trying them in order
     * (BUD-03: the user's most trusted server first).
     *
     * @throws BlossomClientException when every server failed (the others are suppressed in it)
     */
    public Uploaded uploadFirst(List<URI> servers, Path file, String type) throws BlossomClientException {
        String sha = hashFile(file);
        Map<URI, BlossomClientException> failures = new LinkedHashMap<>();
        for (URI s : servers) {
            try {
                return new Uploaded(s, upload(s, file, sha, type), Map.copyOf(failures));
            } catch (BlossomClientException e) {
                failures.put(s, e);
            }
        }
        throw allFailed("upload " + sha, servers, failures);
    }

    /**
     * Downloads from the first server of {@code servers} that has the blob and sends the right
     * bytes; servers that answer an error, cannot be reached or send wrong bytes are skipped.
     *
     * @return the server it came from
     */
    public URI downloadFirst(List<URI> servers, String sha256, Path target) throws BlossomClientException {
        Map<URI, BlossomClientException> failures = new LinkedHashMap<>();
        for (URI s : servers) {
            try {
                download(s, sha256, target);
                return s;
            } catch (BlossomClientException e) {
                failures.put(s, e);
            }
        }
        throw allFailed("download " + sha256, servers, failures);
    }

    /**
     * Downloads a blob of {@code author}'s from the servers of their kind 10063 list, read from
     * {@code pool}'s relays.
     */
    public URI downloadFromUserServers(RelayPool pool, String author, String sha256, Path target, Duration lookupTimeout)
            throws BlossomClientException, InterruptedException {
        List<URI> servers = ServerList.fetch(pool, author, lookupTimeout);
        if (servers.isEmpty()) {
            throw new BlossomClientException("no kind " + ServerList.KIND + " server list for " + author, -1, false, null);
        }
        return downloadFirst(servers, sha256, target);
    }

    /** Uploads to the first server of this signer's own kind 10063 list (read from {@code pool}) that accepts it. */
    public Uploaded uploadToUserServers(RelayPool pool, Path file, String type, Duration lookupTimeout)
            throws BlossomClientException, InterruptedException {
        List<URI> servers = ServerList.fetch(pool, requireSigner().publicKey(), lookupTimeout);
        if (servers.isEmpty()) {
            throw new BlossomClientException("no kind " + ServerList.KIND + " server list for " + signer.publicKey(), -1, false, null);
        }
        return uploadFirst(servers, file, type);
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private HttpRequest.Builder request(URI server, String pathAndQuery) {
        return HttpRequest.newBuilder(endpoint(server, pathAndQuery)).timeout(timeout);
    }

    /** BUD-01: endpoints live at the root of the server's domain. */
    static URI endpoint(URI server, String pathAndQuery) {
        String scheme = server.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || server.getHost() == null) {
            throw new IllegalArgumentException("a Blossom server must be an http(s) URL with a host, got '" + server + "'");
        }
        return URI.create(scheme + "://" + server.getRawAuthority() + pathAndQuery);
    }

    private HttpRequest getRequest(URI server, String sha256, String range) {
        HttpRequest.Builder b = request(server, "/" + sha256).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return b.build();
    }

    private String token(AuthVerb verb, URI server, String sha256) {
        return BlossomAuth.header(requireSigner(), verb, sha256 == null ? List.of() : List.of(sha256), server.getHost(), TOKEN_TTL);
    }

    private EventSigner requireSigner() {
        if (signer == null) {
            throw new IllegalStateException("this Blossom client has no signer; create it with one to upload, delete or mirror");
        }
        return signer;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) throws BlossomClientException {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw BlossomClientException.unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlossomClientException(what + ": interrupted", -1, false, e);
        }
    }

    private String sendForString(HttpRequest req, String what) throws BlossomClientException {
        HttpResponse<String> res = send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
        if (res.statusCode() != 200 && res.statusCode() != 201) {
            throw BlossomClientException.refused(what, res.statusCode(), reason(res));
        }
        return res.body();
    }

    private static void expectStatus(HttpResponse<?> res, int status, String what) throws BlossomClientException {
        if (res.statusCode() != status) {
            throw BlossomClientException.refused(what, res.statusCode(), reason(res));
        }
    }

    private static String reason(HttpResponse<?> res) {
        return res.headers().firstValue("X-Reason").orElse("");
    }

    private static BlobDescriptor descriptor(String json, String what) throws BlossomClientException {
        try {
            return BlobDescriptor.parse(json);
        } catch (IllegalArgumentException e) {
            throw new BlossomClientException(what + ": bad blob descriptor: " + e.getMessage(), 200, false, e);
        }
    }

    private static String hashFile(Path file) throws BlossomClientException {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw BlossomClientException.unreachable("cannot read " + file, e);
        }
    }

    /** Copies {@code in} into a new file at {@code target} and returns the SHA-256 of what was copied. */
    private static String copyHashing(InputStream in, Path target) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            return HashingCopy.copy(in, out, Long.MAX_VALUE, 0).sha256();
        }
    }

    private static long copy(InputStream in, OutputStream out, MessageDigest digest) throws IOException {
        byte[] buf = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (digest != null) {
                digest.update(buf, 0, n);
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static BlossomClientException asClientException(String what, IOException e) {
        return e instanceof BlossomClientException be ? be : BlossomClientException.unreachable(what, e);
    }

    private static BlossomClientException allFailed(String what, List<URI> servers, Map<URI, BlossomClientException> failures) {
        BlossomClientException e = new BlossomClientException(what + ": all " + servers.size() + " servers failed: "
                + new ArrayList<>(failures.values()).stream().map(Throwable::getMessage).toList(), -1,
                failures.values().stream().allMatch(BlossomClientException::hashMismatch) && !failures.isEmpty(), null);
        failures.values().forEach(e::addSuppressed);
        return e;
    }

    private static void requireHash(String sha256) {
        if (!Sha256.isHash(sha256)) {
            throw new IllegalArgumentException("not a blob hash (64 lowercase hex): '" + sha256 + "'");
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
