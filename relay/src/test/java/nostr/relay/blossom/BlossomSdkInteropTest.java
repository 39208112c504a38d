package nostr.relay.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.blossom.blob.BlobDescriptor;
import nostr.blossom.client.BlossomClient;
import nostr.blossom.server.BlossomHandler;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Node;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BUD-01/02/06/11/12 with an independent client: blossom-client-sdk 5.1.0 (npm, tokens signed by
 * nostr-tools) uploads, is told the blob exists, checks, downloads, lists, is refused an expired
 * token, deletes; it also downloads a blob our Java client uploaded, and our client reads what
 * the SDK uploaded.
 */
class BlossomSdkInteropTest {
    @TempDir
    Path dir;

    @Test
    void bud02Bud12BlossomClientSdkUploadsListsDownloadsAndDeletesOnTheRelay() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage);
             BlossomClient ours = BlossomClient.create(EventSigner.of(SecretKey.generate()))) {
            BlossomHandler blossom = relay.blossom().orElseThrow();
            URI server = blossom.options().publicUrl();
            byte[] foreignBytes = new byte[70_000];
            new SecureRandom().nextBytes(foreignBytes);
            BlobDescriptor foreign = ours.upload(server, new java.io.ByteArrayInputStream(foreignBytes), "image/png");

            List<String> lines = Node.lines("blossom-sdk.mjs", null, server.toString(), foreign.sha256());
            Map<String, Map<String, Object>> steps = new HashMap<>();
            for (String l : lines) {
                Map<String, Object> o = JsonTree.object(l);
                steps.put((String) o.get("step"), o);
            }
            String sha = (String) steps.get("pubkey").get("sha256");
            String pk = (String) steps.get("pubkey").get("pubkey");

            Map<String, Object> up = JsonTree.at(steps.get("upload"), "descriptor");
            assertEquals(sha, up.get("sha256"));
            assertEquals(100_000L, ((Number) up.get("size")).longValue());
            assertEquals("text/plain", up.get("type"));
            assertEquals(server + "/" + sha + ".txt", up.get("url"));
            assertEquals(sha, JsonTree.at(steps.get("upload-again"), "descriptor", "sha256"));
            assertEquals(true, steps.get("has").get("has"));
            assertEquals(sha, steps.get("download").get("sha256"));
            assertEquals("text/plain", steps.get("download").get("type"));
            assertEquals(foreign.sha256(), steps.get("download-foreign").get("sha256"));
            assertEquals(List.of(sha), steps.get("list").get("sha256s"));
            assertEquals(false, steps.get("expired").get("accepted"));
            assertEquals(401L, ((Number) steps.get("expired").get("status")).longValue());
            assertTrue(((String) steps.get("expired").get("message")).contains("expired"), steps.get("expired").toString());
            assertEquals(true, steps.get("delete").get("deleted"));
            assertEquals(false, steps.get("has-after-delete").get("has"));

            // Our side: the SDK's blob is gone with its only owner; the one we uploaded is intact.
            assertEquals(java.util.Optional.empty(), ours.head(server, sha));
            assertFalse(blossom.files().exists(sha));
            assertEquals(List.of(), storage.blobs().list(pk, nostr.blossom.server.BlobListQuery.first(10)));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ours.download(server, foreign.sha256(), got);
            assertTrue(java.util.Arrays.equals(foreignBytes, got.toByteArray()));
        }
    }
}
