package nostr.relay.blossom;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import nostr.blossom.server.BlossomHandler;
import nostr.blossom.server.BlossomOptions;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;

/**
 * The glue between the relay and the Blossom server: options from the relay's {@code blossom_*}
 * keys, blob metadata in the relay's store ({@link Storage#blobs()}), the handler mounted on the
 * relay's port in front of its own routes.
 */
public final class BlossomMount {
    private BlossomMount() {}

    /**
     * The handler for a relay bound to {@code port}: blobs under {@code blossom_dir} (default
     * {@code <data_dir>/blobs}), public URL {@code blossom_public_url} or {@code http://host:port}.
     */
    public static BlossomHandler handler(RelayConfig config, int port, Storage storage, Clock clock) throws IOException {
        var b = config.blossom();
        URI url = b.publicUrl().isEmpty() ? derivedUrl(config.host(), port) : URI.create(b.publicUrl());
        BlossomOptions options = new BlossomOptions(b.dirUnder(config.dataDir()), url, b.maxSize(), b.quotaBytes(),
                b.allowedUploaders(), b.mirrorSources(), b.fsync(), b.directIoMin(), BlossomOptions.DEFAULT_MAX_LIST_LIMIT, clock);
        return BlossomHandler.create(options, storage.blobs());
    }

    /** {@code http://host:port}, the address the relay listens on. */
    static URI derivedUrl(String host, int port) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port);
    }
}
