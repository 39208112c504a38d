package nostr.blossom.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import nostr.blossom.blob.DirectWrites;
import nostr.core.Hex;

/**
 * Everything a Blossom server is configured with, validated once.
 *
 * @param blobDir where blob files live ({@link BlobFiles} layout)
 * @param publicUrl the server's public base URL: descriptor URLs start with it, and its host is
 *     the domain BUD-11 {@code server} tags must name
 * @param maxBlobBytes largest blob accepted (413 beyond)
 * @param quotaBytes bytes one pubkey may own in total (429 beyond); 0 for no quota
 * @param allowedUploaders pubkeys (hex) allowed to upload and mirror; empty for anyone
 * @param mirrorSources which hosts {@code PUT /mirror} may fetch from
 * @param fsync whether a blob is on disk (fsync of file and directory) before it is acknowledged
 * @param directIoMin blobs of at least this many bytes are written and served with {@code O_DIRECT}
 *     (past the page cache) where the file system takes it; 0 never
 * @param maxListLimit most descriptors one {@code /list} page returns (also the default page size)
 * @param clock time source for token checks and upload times
 */
public record BlossomOptions(Path blobDir, URI publicUrl, long maxBlobBytes, long quotaBytes,
                             Set<String> allowedUploaders, MirrorSources mirrorSources, boolean fsync,
                             long directIoMin, int maxListLimit, Clock clock) {

    /** Default largest blob: 100 MiB. */
    public static final long DEFAULT_MAX_BLOB_BYTES = 100L * 1024 * 1024;
    /** Default quota: 1 GiB per pubkey. */
    public static final long DEFAULT_QUOTA_BYTES = 1024L * 1024 * 1024;
    /** Default size from which blobs skip the page cache: 8 MiB. */
    public static final long DEFAULT_DIRECT_IO_MIN = DirectWrites.DEFAULT_MIN;
    /** Default (and largest) list page. */
    public static final int DEFAULT_MAX_LIST_LIMIT = 1000;

    public BlossomOptions {
        Objects.requireNonNull(blobDir, "blobDir");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(mirrorSources, "mirrorSources");
        Objects.requireNonNull(clock, "clock");
        String scheme = publicUrl.getScheme() == null ? "" : publicUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || publicUrl.getHost() == null) {
            throw new IllegalArgumentException("blossom_public_url must be an http(s) URL with a host, got '" + publicUrl + "'");
        }
        if (maxBlobBytes < 1) {
            throw new IllegalArgumentException("blossom_max_size must be at least 1 byte, got " + maxBlobBytes);
        }
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("blossom_quota_bytes must be 0 (none) or positive, got " + quotaBytes);
        }
        if (directIoMin < 0) {
            throw new IllegalArgumentException("blossom_direct_io_min must be 0 (never) or positive, got " + directIoMin);
        }
        if (maxListLimit < 1) {
            throw new IllegalArgumentException("maxListLimit must be at least 1, got " + maxListLimit);
        }
        allowedUploaders = Set.copyOf(allowedUploaders);
        for (String pk : allowedUploaders) {
            if (!Hex.isLowerHex(pk, 64)) {
                throw new IllegalArgumentException("blossom_allowed_uploaders must hold 64-hex pubkeys, got '" + pk + "'");
            }
        }
    }

    /** Defaults for a server at {@code publicUrl} storing blobs in {@code blobDir}. */
    public static BlossomOptions defaults(Path blobDir, URI publicUrl) {
        return new BlossomOptions(blobDir, publicUrl, DEFAULT_MAX_BLOB_BYTES, DEFAULT_QUOTA_BYTES, Set.of(),
                MirrorSources.PUBLIC_ONLY, true, DEFAULT_DIRECT_IO_MIN, DEFAULT_MAX_LIST_LIMIT, Clock.systemUTC());
    }

    /** The domain BUD-11 {@code server} tags must name. */
    public String serverHost() {
        String h = publicUrl.getHost().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The public base URL without a trailing slash. */
    public String baseUrl() {
        String s = publicUrl.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public BlossomOptions withPublicUrl(URI u) {
        return new BlossomOptions(blobDir, u, maxBlobBytes, quotaBytes, allowedUploaders, mirrorSources, fsync, directIoMin, maxListLimit, clock);
    }

    public BlossomOptions withMaxBlobBytes(long m) {
        return new BlossomOptions(blobDir, publicUrl, m, quotaBytes, allowedUploaders, mirrorSources, fsync, directIoMin, maxListLimit, clock);
    }

    public BlossomOptions withQuotaBytes(long q) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, q, allowedUploaders, mirrorSources, fsync, directIoMin, maxListLimit, clock);
    }

    public BlossomOptions withAllowedUploaders(Set<String> a) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, quotaBytes, a, mirrorSources, fsync, directIoMin, maxListLimit, clock);
    }

    public BlossomOptions withMirrorSources(MirrorSources m) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, quotaBytes, allowedUploaders, m, fsync, directIoMin, maxListLimit, clock);
    }

    public BlossomOptions withFsync(boolean f) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, quotaBytes, allowedUploaders, mirrorSources, f, directIoMin, maxListLimit, clock);
    }

    public BlossomOptions withDirectIoMin(long d) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, quotaBytes, allowedUploaders, mirrorSources, fsync, d, maxListLimit, clock);
    }

    public BlossomOptions withMaxListLimit(int l) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, quotaBytes, allowedUploaders, mirrorSources, fsync, directIoMin, l, clock);
    }

    public BlossomOptions withClock(Clock c) {
        return new BlossomOptions(blobDir, publicUrl, maxBlobBytes, quotaBytes, allowedUploaders, mirrorSources, fsync, directIoMin, maxListLimit, c);
    }
}
