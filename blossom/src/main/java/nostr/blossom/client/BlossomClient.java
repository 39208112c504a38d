package nostr.blossom.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import nostr.blossom.auth.AuthVerb;
import nostr.blossom.auth.BlossomAuth;
import nostr.blossom.blob.BlobDescriptor;
import nostr.blossom.blob.DirectWrites;
import nostr.blossom.blob.HashingCopy;
import nostr.blossom.blob.MediaTypes;
import nostr.blossom.blob.Sha256;
import nostr.core.Hex;
import nostr.core.client.RelayPool;
import nostr.core.event.EventSigner;
import nostr.core.json.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A Blossom client: upload (BUD-02, with the BUD-06 check available), {@code HEAD}/{@code GET}
 * with ranges (BUD-01), list and delete (BUD-12), mirror (BUD-04), each authorized with a BUD-11
 * token signed by an {@link EventSigner} and scoped to the server's domain and the blob's hash.
 * Bytes are streamed both ways, never held in memory: an upload hashes its file first (one read;
 * the token must name the hash before the body goes out), then sends it; a download hashes while
 * it writes and refuses bytes that do not hash to the blob asked for
 * ({@link BlossomClientException#hashMismatch()}).
 *
 * <p>HTTP/1.1 over Jetty's HTTP client (the same Jetty as the server), on virtual threads. Bodies
 * move in Jetty's pooled 64 KiB direct buffers: an upload is read from the file into them and
 * written to the socket; a download is hashed on the calling thread and written to the file from
 * the same buffers by a second thread ({@link HashingCopy}), so hashing and writing overlap and
 * nothing is copied in between; a large one goes past the page cache ({@link #directWritesFrom}).
 * (The JDK's {@code java.net.http} client, used before, moved bodies
 * in 16 KiB heap buffers through several copies and needed 2-3x the CPU per downloaded GiB.)
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
    /** Socket read size for responses, and file read size for uploads. */
    static final int BUFFER = 64 * 1024;
    /**
     * Buffers of each size the client's pool keeps for reuse: enough for every chunk a download
     * can hold ({@link HashingCopy#IN_FLIGHT} queued for the file, one being hashed, the one being
     * filled) with room for an upload's at the same time.
     */
    static final int POOLED_BUFFERS = 2 * HashingCopy.IN_FLIGHT + 8;
    /** Default size from which downloads into files skip the page cache: 8 MiB. */
    public static final long DEFAULT_DIRECT_WRITES_FROM = DirectWrites.DEFAULT_MIN;
    /** Largest non-blob response body read into memory (descriptors, lists, errors). */
    private static final int MAX_SMALL_BODY = 16 * 1024 * 1024;
    /** How long the tokens this client signs stay valid. */
    static final Duration TOKEN_TTL = Duration.ofMinutes(10);

    private final EventSigner signer;
    private final Duration timeout;
    private final HttpClient http;
    private final ByteBufferPool.Sized uploadBuffers;
    private volatile long directWritesFrom = DEFAULT_DIRECT_WRITES_FROM;
    private final LongAdder directDownloads = new LongAdder();

    private BlossomClient(EventSigner signer, Duration timeout) {
        this.signer = signer;
        this.timeout = timeout;
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("blossom-client");
        HttpClient h = new HttpClient();
        h.setExecutor(threads);
        h.setConnectTimeout(timeout.toMillis());
        h.setIdleTimeout(timeout.toMillis());
        h.setFollowRedirects(true);
        h.setResponseBufferSize(BUFFER);
        // Jetty's default client pool keeps only 2 x cores buffers of a size when the executor is
        // not a sized pool; a download holds up to IN_FLIGHT chunks, so nearly every socket read
        // got a fresh zeroed direct buffer, freed later by the GC (measured at 1 GiB: this pool cut
        // the client's CPU per download by about a third).
        h.setByteBufferPool(new ArrayByteBufferPool(0, 0, BUFFER, POOLED_BUFFERS));
        h.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "nostr-blossom-client"));
        try {
            h.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
        }
        this.http = h;
        this.uploadBuffers = new ByteBufferPool.Sized(h.getByteBufferPool(), true, BUFFER);
    }

    /**
     * A client signing as {@code signer} (null for a client that only reads: HEAD, GET, list).
     * Connecting may take at most 30 s, and so may any pause of a request (no bytes moving either
     * way, including the wait for the response headers).
     */
    public static BlossomClient create(EventSigner signer) {
        return create(signer, Duration.ofSeconds(30));
    }

    /** As {@link #create(EventSigner)} with another connect and idle timeout. */
    public static BlossomClient create(EventSigner signer, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new BlossomClient(signer, timeout);
    }

    /**
     * Downloads into a file announced as at least {@code bytes} long are written with
     * {@code O_DIRECT}, past the page cache ({@link DirectWrites}), where the file system takes
     * it; 0 turns that off. The default is {@value #DEFAULT_DIRECT_WRITES_FROM} bytes. The file's
     * bytes and the hash check are the same either way; a large download just does not push the
     * rest of the page cache out, and on machines where fresh page-cache pages are dear (the KVM
     * guests this was measured on) it costs much less CPU.
     *
     * @return this client
     */
    public BlossomClient directWritesFrom(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be 0 (never) or positive, got " + bytes);
        }
        directWritesFrom = bytes;
        return this;
    }

    /** Downloads written with {@code O_DIRECT} so far (for tests). */
    long directDownloads() {
        return directDownloads.sum();
    }

    // ---- upload -------------------------------------------------------------------------------

    /**
     * Uploads a file ({@code PUT /upload}); it is read twice, once to hash it and once to send it
     * (the second read finds it in the page cache).
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
        String contentType = type == null ? MediaTypes.OCTET_STREAM : type;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw BlossomClientException.unreachable("cannot read " + file,
                    new IOException(file + " is not a readable regular file"));
        }
        PathRequestContent body = new PathRequestContent(contentType, file, uploadBuffers);
        // Expect: 100-continue lets the server refuse (size, quota, auth) before the body is sent,
        // so a refusal arrives as its status and reason instead of a reset mid-upload.
        Request req = request(server, "/upload", HttpMethod.PUT)
                .headers(h -> h.put(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())
                        .put("X-SHA-256", sha256)
                        .put(HttpHeader.AUTHORIZATION, token(AuthVerb.UPLOAD, server, sha256)))
                .body(body);
        String what = "upload " + sha256 + " to " + server;
        BlobDescriptor d = descriptor(sendForString(req, what), "upload to " + server);
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
            String sha;
            try (FileChannel out = FileChannel.open(spool, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                sha = HashingCopy.copy(in, out, Long.MAX_VALUE, 0).sha256();
            }
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
        Request req = request(server, "/upload", HttpMethod.HEAD)
                .headers(h -> {
                    h.put("X-SHA-256", sha256)
                            .put("X-Content-Length", Long.toString(size))
                            .put(HttpHeader.AUTHORIZATION, token(AuthVerb.UPLOAD, server, sha256));
                    if (type != null) {
                        h.put("X-Content-Type", type);
                    }
                });
        String what = "upload check at " + server;
        ContentResponse res = send(req, what);
        if (res.getStatus() != 200) {
            throw BlossomClientException.refused(what, res.getStatus(), reason(res.getHeaders().get("X-Reason")));
        }
    }

    // ---- retrieve -----------------------------------------------------------------------------

    /** {@code HEAD /<sha256>}: the blob's size and type, or empty when the server answers 404. */
    public Optional<BlobInfo> head(URI server, String sha256) throws BlossomClientException {
        requireHash(sha256);
        String what = "HEAD " + sha256 + " at " + server;
        ContentResponse res = send(request(server, "/" + sha256, HttpMethod.HEAD), what);
        if (res.getStatus() == 404) {
            return Optional.empty();
        }
        if (res.getStatus() != 200) {
            throw BlossomClientException.refused(what, res.getStatus(), reason(res.getHeaders().get("X-Reason")));
        }
        long size = res.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        String type = Optional.ofNullable(res.getHeaders().get(HttpHeader.CONTENT_TYPE)).orElse(MediaTypes.OCTET_STREAM);
        boolean ranges = res.getHeaders().getValuesList(HttpHeader.ACCEPT_RANGES).stream().anyMatch(v -> v.contains("bytes"));
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
        StreamedResponse res = open(getRequest(server, sha256, null), what);
        try {
            expectStatus(res, 200, what);
            HashingCopy.Result r = null;
            long expected = res.contentLength();
            long from = directWritesFrom;
            if (from > 0 && expected >= from) {
                try (DirectWrites.Writer w = DirectWrites.create(part)) {
                    if (w != null) {
                        directDownloads.increment();
                        r = HashingCopy.copy(res.body(), w, Long.MAX_VALUE);
                    }
                }
            }
            if (r == null) {
                try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    r = HashingCopy.copy(res.body(), out, Long.MAX_VALUE, 0);
                }
            }
            if (!r.sha256().equals(sha256)) {
                throw BlossomClientException.mismatch(what, sha256, r.sha256());
            }
            Files.move(part, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return r.size();
        } catch (IOException e) {
            res.abandon(e);
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
        StreamedResponse res = open(getRequest(server, sha256, null), what);
        try {
            expectStatus(res, 200, what);
            MessageDigest d = Sha256.digest();
            long n = copy(res.body(), out, d);
            String actual = Hex.encode(d.digest());
            if (!actual.equals(sha256)) {
                throw BlossomClientException.mismatch(what, sha256, actual);
            }
            return n;
        } catch (IOException e) {
            res.abandon(e);
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
        StreamedResponse res = open(getRequest(server, sha256, "bytes=" + first + "-" + last), what);
        try {
            expectStatus(res, 206, what);
            String cr = Objects.requireNonNullElse(res.header("Content-Range"), "");
            if (!cr.startsWith("bytes " + first + "-")) {
                throw new BlossomClientException(what + ": unexpected Content-Range '" + cr + "'", 206, false, null);
            }
            return copy(res.body(), out, null);
        } catch (IOException e) {
            res.abandon(e);
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
        Request req = request(server, path.toString(), HttpMethod.GET);
        if (signer != null) {
            req.headers(h -> h.put(HttpHeader.AUTHORIZATION, token(AuthVerb.LIST, server, null)));
        }
        String json = sendForString(req, "list " + pubkey + " at " + server);
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
        String authorization = token(AuthVerb.DELETE, server, sha256);
        Request req = request(server, "/" + sha256, HttpMethod.DELETE)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization));
        String what = "delete " + sha256 + " at " + server;
        ContentResponse res = send(req, what);
        if (res.getStatus() == 404) {
            return false;
        }
        if (res.getStatus() != 200 && res.getStatus() != 204) {
            throw BlossomClientException.refused(what, res.getStatus(), reason(res.getHeaders().get("X-Reason")));
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
        String authorization = token(AuthVerb.UPLOAD, server, sha256);
        Request req = request(server, "/mirror", HttpMethod.PUT)
                .headers(h -> h.put("X-SHA-256", sha256).put(HttpHeader.AUTHORIZATION, authorization))
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
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
        try {
            http.stop();
        } catch (Exception e) {
            // stopping only releases connections and threads; nothing to report
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private Request request(URI server, String pathAndQuery, HttpMethod method) {
        return http.newRequest(endpoint(server, pathAndQuery)).method(method).idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** BUD-01: endpoints live at the root of the server's domain. */
    static URI endpoint(URI server, String pathAndQuery) {
        String scheme = server.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || server.getHost() == null) {
            throw new IllegalArgumentException("a Blossom server must be an http(s) URL with a host, got '" + server + "'");
        }
        return URI.create(scheme + "://" + server.getRawAuthority() + pathAndQuery);
    }

    private Request getRequest(URI server, String sha256, String range) {
        Request r = request(server, "/" + sha256, HttpMethod.GET);
        if (range != null) {
            r.headers(h -> h.put(HttpHeader.RANGE, range));
        }
        return r;
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

    /** Sends a request whose answer is small (read into memory, at most {@value #MAX_SMALL_BODY} bytes). */
    private ContentResponse send(Request req, String what) throws BlossomClientException {
        try {
            return SmallResponse.send(req, MAX_SMALL_BODY);
        } catch (ExecutionException e) {
            throw BlossomClientException.unreachable(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlossomClientException(what + ": interrupted", -1, false, e);
        }
    }

    private StreamedResponse open(Request req, String what) throws BlossomClientException {
        try {
            return StreamedResponse.open(req);
        } catch (IOException e) {
            throw BlossomClientException.unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlossomClientException(what + ": interrupted", -1, false, e);
        }
    }

    private String sendForString(Request req, String what) throws BlossomClientException {
        ContentResponse res = send(req, what);
        if (res.getStatus() != 200 && res.getStatus() != 201) {
            throw BlossomClientException.refused(what, res.getStatus(), reason(res.getHeaders().get("X-Reason")));
        }
        return new String(res.getContent(), StandardCharsets.UTF_8);
    }

    private static void expectStatus(StreamedResponse res, int status, String what) throws BlossomClientException {
        if (res.status() != status) {
            throw BlossomClientException.refused(what, res.status(), reason(res.header("X-Reason")));
        }
    }

    private static String reason(String header) {
        return header == null ? "" : header;
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

    /** Copies a response body to its end into {@code out}, hashing it when {@code digest} is given. */
    private static long copy(Content.Source body, OutputStream out, MessageDigest digest) throws IOException {
        WritableByteChannel sink = Channels.newChannel(out);
        long total = 0;
        while (true) {
            Content.Chunk chunk = body.read();
            if (chunk == null) {
                try (Blocker.Runnable demand = Blocker.runnable()) {
                    body.demand(demand);
                    demand.block();
                }
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable f = chunk.getFailure();
                    throw f instanceof IOException io ? io : new IOException(f.toString(), f);
                }
                ByteBuffer b = chunk.getByteBuffer();
                total += b.remaining();
                if (digest != null) {
                    digest.update(b.duplicate());
                }
                while (b.hasRemaining()) {
                    sink.write(b);
                }
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                return total;
            }
        }
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
