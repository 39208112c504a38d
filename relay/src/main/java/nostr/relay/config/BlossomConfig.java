package nostr.relay.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import nostr.blossom.server.BlossomOptions;
import nostr.blossom.server.MirrorSources;
import nostr.core.Hex;

/**
 * The Blossom server the relay mounts on its port ({@code blossom_*} keys).
 *
 * @param enabled whether the Blossom routes are served at all
 * @param dir the blob directory, or null for {@code <data_dir>/blobs}
 * @param maxSize largest blob in bytes
 * @param quotaBytes bytes one pubkey may own; 0 for no quota
 * @param allowedUploaders pubkeys allowed to upload and mirror; empty for anyone
 * @param publicUrl base URL put in blob descriptors and checked by BUD-11 {@code server} tags, or ""
 *     for {@code http://<host>:<port>} of the relay
 * @param mirrorSources where {@code PUT /mirror} may fetch from
 * @param fsync whether blobs are fsynced before they are acknowledged
 * @param directIoMin blobs of at least this many bytes are written and served with {@code O_DIRECT}
 *     (past the page cache) where the file system takes it; 0 never
 */
public record BlossomConfig(boolean enabled, Path dir, long maxSize, long quotaBytes, Set<String> allowedUploaders,
                            String publicUrl, MirrorSources mirrorSources, boolean fsync, long directIoMin) {

    public BlossomConfig {
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(mirrorSources, "mirrorSources");
        allowedUploaders = Set.copyOf(allowedUploaders);
        if (maxSize < 1) {
            throw new IllegalArgumentException("blossom_max_size must be at least 1, got " + maxSize);
        }
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("blossom_quota_bytes must be 0 (no quota) or positive, got " + quotaBytes);
        }
        for (String pk : allowedUploaders) {
            if (!Hex.isLowerHex(pk, 64)) {
                throw new IllegalArgumentException("blossom_allowed_uploaders must list 64-hex pubkeys, got '" + pk + "'");
            }
        }
        if (directIoMin < 0) {
            throw new IllegalArgumentException("blossom_direct_io_min must be 0 (never) or positive, got " + directIoMin);
        }
        if (!publicUrl.isEmpty() && !publicUrl.matches("(?i)https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new IllegalArgumentException("blossom_public_url must be an http(s) URL, got '" + publicUrl + "'");
        }
    }

    /**
     * On, blobs under the data directory, 100 MiB blobs, 1 GiB per pubkey, anyone, public mirror
     * sources, fsync, {@code O_DIRECT} from 8 MiB.
     */
    public static BlossomConfig defaults() {
        return new BlossomConfig(true, null, BlossomOptions.DEFAULT_MAX_BLOB_BYTES, BlossomOptions.DEFAULT_QUOTA_BYTES,
                Set.of(), "", MirrorSources.PUBLIC_ONLY, true, BlossomOptions.DEFAULT_DIRECT_IO_MIN);
    }

    /** The blob directory for a relay whose data directory is {@code dataDir}. */
    public Path dirUnder(Path dataDir) {
        return dir != null ? dir : dataDir.resolve("blobs");
    }

    public BlossomConfig withEnabled(boolean e) {
        return new BlossomConfig(e, dir, maxSize, quotaBytes, allowedUploaders, publicUrl, mirrorSources, fsync, directIoMin);
    }

    public BlossomConfig withDir(Path d) {
        return new BlossomConfig(enabled, d, maxSize, quotaBytes, allowedUploaders, publicUrl, mirrorSources, fsync, directIoMin);
    }

    public BlossomConfig withLimits(long max, long quota, Set<String> allowed) {
        return new BlossomConfig(enabled, dir, max, quota, allowed, publicUrl, mirrorSources, fsync, directIoMin);
    }

    public BlossomConfig withMirrorSources(MirrorSources m) {
        return new BlossomConfig(enabled, dir, maxSize, quotaBytes, allowedUploaders, publicUrl, m, fsync, directIoMin);
    }

    public BlossomConfig withDirectIoMin(long d) {
        return new BlossomConfig(enabled, dir, maxSize, quotaBytes, allowedUploaders, publicUrl, mirrorSources, fsync, d);
    }

    public BlossomConfig withFsync(boolean f) {
        return new BlossomConfig(enabled, dir, maxSize, quotaBytes, allowedUploaders, publicUrl, mirrorSources, f, directIoMin);
    }
}
