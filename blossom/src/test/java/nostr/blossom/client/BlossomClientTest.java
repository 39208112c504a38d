package nostr.blossom.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import nostr.blossom.blob.BlobDescriptor;
import nostr.blossom.blob.Sha256;
import nostr.blossom.server.BlossomOptions;
import nostr.blossom.server.BlossomServer;
import nostr.blossom.server.InMemoryBlobIndex;
import nostr.blossom.server.MirrorSources;
import nostr.blossom.testing.DirectIo;
import nostr.blossom.testing.Origin;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against real servers over HTTP (two standalone Blossom servers, a plain origin
 * that can lie, a port nobody listens on): every call, hash verification on download, and the
 * BUD-03 multi-server fallback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlossomClientTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temp;

    private BlossomServer a;
    private BlossomServer b;
    private URI dead;
    private final SecretKey alice = SecretKey.generate();
    private BlossomClient client;

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("blossom-client");
        BlossomOptions o = BlossomOptions.defaults(root.resolve("a"), URI.create("http://127.0.0.1"))
                .withFsync(false).withMaxBlobBytes(2_000_000).withMirrorSources(MirrorSources.ANY_HOST);
        a = BlossomServer.start("127.0.0.1", 0, o, new InMemoryBlobIndex(), true);
        b = BlossomServer.start("127.0.0.1", 0, o.withPublicUrl(URI.create("http://127.0.0.1")).withMaxBlobBytes(2_000_000)
                .withQuotaBytes(0), new InMemoryBlobIndex(), true);
        try (ServerSocket s = new ServerSocket(0)) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        client = BlossomClient.create(EventSigner.of(alice));
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        a.close();
        b.close();
    }

    static byte[] random(int n) {
        byte[] x = new byte[n];
        RANDOM.nextBytes(x);
        return x;
    }

    Path file(byte[] content) throws Exception {
        Path p = Files.createTempFile(temp, "blob", ".bin");
        Files.write(p, content);
        return p;
    }

    @Test
    void bud02UploadsAFileAndDownloadsItVerified() throws Exception {
        byte[] content = random(300_000);
        BlobDescriptor d = client.upload(a.url(), file(content), "application/pdf");
        assertEquals(Sha256.of(content), d.sha256());
        assertEquals(300_000, d.size());
        assertEquals("application/pdf", d.type());
        Path target = temp.resolve("copy.pdf");
        assertEquals(300_000, client.download(a.url(), d.sha256(), target));
        assertArrayEquals(content, Files.readAllBytes(target));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(a.url(), d.sha256(), out);
        assertArrayEquals(content, out.toByteArray());
    }

    @Test
    void bud02UploadsAStreamWithoutKnowingItsHashFirst() throws Exception {
        byte[] content = random(50_000);
        BlobDescriptor d = client.upload(a.url(), new ByteArrayInputStream(content), "text/plain");
        assertEquals(Sha256.of(content), d.sha256());
        assertTrue(d.url().endsWith(".txt"), d.url());
    }

    @Test
    void bud01HeadAndRangesDescribeAndSliceABlob() throws Exception {
        byte[] content = random(10_000);
        BlobDescriptor d = client.upload(a.url(), file(content), "video/mp4");
        assertEquals(Optional.of(new BlobInfo(10_000, "video/mp4", true)), client.head(a.url(), d.sha256()));
        assertEquals(Optional.empty(), client.head(a.url(), Sha256.of(random(3))));
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        assertEquals(1000, client.downloadRange(a.url(), d.sha256(), 2000, 2999, part));
        assertArrayEquals(Arrays.copyOfRange(content, 2000, 3000), part.toByteArray());
    }

    @Test
    void bud01ServesBlobsOverSeveralReadPiecesWholeAndInRangesFromReusedBuffers() throws Exception {
        // the server reads GET bodies in 1 MiB pieces from pooled buffers; the client receives into
        // pooled 64 KiB ones: two blobs in a row, and a range across a piece boundary, must come back
        // exactly (no bytes left over from an earlier body in a reused buffer)
        int piece = 1024 * 1024;
        for (int i = 0; i < 2; i++) {
            byte[] content = random(1_999_999 - i);
            BlobDescriptor d = client.upload(a.url(), file(content), null);
            Path target = temp.resolve("pieces-" + i + ".bin");
            assertEquals(content.length, client.download(a.url(), d.sha256(), target));
            assertArrayEquals(content, Files.readAllBytes(target));
            ByteArrayOutputStream part = new ByteArrayOutputStream();
            assertEquals(200_001, client.downloadRange(a.url(), d.sha256(), piece - 100_000, piece + 100_000, part));
            assertArrayEquals(Arrays.copyOfRange(content, piece - 100_000, piece + 100_001), part.toByteArray());
        }
    }

    @Test
    void bud12ListsAndDeletesItsOwnBlobs() throws Exception {
        SecretKey carol = SecretKey.generate();
        try (BlossomClient c = BlossomClient.create(EventSigner.of(carol))) {
            BlobDescriptor one = c.upload(a.url(), file(random(100)), null);
            BlobDescriptor two = c.upload(a.url(), file(random(200)), null);
            List<BlobDescriptor> all = c.list(a.url(), carol.publicKey().hex(), null, 0);
            assertEquals(2, all.size());
            List<BlobDescriptor> first = c.list(a.url(), carol.publicKey().hex(), null, 1);
            List<BlobDescriptor> second = c.list(a.url(), carol.publicKey().hex(), first.getFirst().sha256(), 1);
            assertEquals(List.of(all.get(0).sha256(), all.get(1).sha256()), List.of(first.getFirst().sha256(), second.getFirst().sha256()));
            assertTrue(c.delete(a.url(), one.sha256()));
            assertFalse(c.delete(a.url(), one.sha256()));
            assertEquals(List.of(two.sha256()), c.list(a.url(), carol.publicKey().hex(), null, 0).stream().map(BlobDescriptor::sha256).toList());
        }
    }

    @Test
    void bud06CheckUploadPassesOrNamesTheRefusal() throws Exception {
        String sha = Sha256.of(random(4));
        client.checkUpload(a.url(), sha, 1000, "image/png");
        BlossomClientException e = assertThrows(BlossomClientException.class, () -> client.checkUpload(a.url(), sha, 3_000_000, null));
        assertEquals(413, e.status());
    }

    @Test
    void refusalsCarryTheStatusAndTheServersReason() throws Exception {
        byte[] big = random(2_000_001);
        BlossomClientException e = assertThrows(BlossomClientException.class, () -> client.upload(a.url(), file(big), null));
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("largest this server accepts"), e.getMessage());
        try (BlossomClient reader = BlossomClient.create(null)) {
            assertThrows(IllegalStateException.class, () -> reader.delete(a.url(), Sha256.of(big)));
        }
    }

    @Test
    void bud04MirrorsABlobFromOneServerToAnother() throws Exception {
        byte[] content = random(40_000);
        BlobDescriptor onA = client.upload(a.url(), file(content), "image/webp");
        BlobDescriptor onB = client.mirror(b.url(), onA.url(), onA.sha256());
        assertEquals(onA.sha256(), onB.sha256());
        assertEquals("image/webp", onB.type());
        assertTrue(onB.url().startsWith(b.url().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(b.url(), onA.sha256(), out);
        assertArrayEquals(content, out.toByteArray());
    }

    @Test
    void downloadRefusesBytesThatDoNotHashToTheBlob() throws Exception {
        String sha = Sha256.of(random(8));
        try (Origin liar = Origin.start()) {
            liar.serve("/" + sha, "text/plain", "not the blob".getBytes());
            URI server = liar.url("");
            Path target = temp.resolve("lied.bin");
            BlossomClientException e = assertThrows(BlossomClientException.class, () -> client.download(server, sha, target));
            assertTrue(e.hashMismatch(), e.getMessage());
            assertFalse(Files.exists(target));
            try (Stream<Path> left = Files.list(temp)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
            }
            BlossomClientException s = assertThrows(BlossomClientException.class,
                    () -> client.download(server, sha, new ByteArrayOutputStream()));
            assertTrue(s.hashMismatch());
        }
    }

    @Test
    void bud01DownloadsPastThePageCacheAreVerifiedAndExact() throws Exception {
        byte[] content = random(1_500_001); // not a whole number of blocks
        BlobDescriptor d = client.upload(a.url(), file(content), null);
        boolean supported = DirectIo.supported(temp);
        try (BlossomClient direct = BlossomClient.create(EventSigner.of(alice)).directWritesFrom(1)) {
            Path target = temp.resolve("direct.bin");
            assertEquals(content.length, direct.download(a.url(), d.sha256(), target));
            assertArrayEquals(content, Files.readAllBytes(target));
            assertEquals(supported ? 1 : 0, direct.directDownloads(),
                    "O_DIRECT where dd can use it (" + supported + "), the page cache elsewhere");
            String sha = Sha256.of(random(8));
            try (Origin liar = Origin.start()) {
                liar.serve("/" + sha, "application/octet-stream", random(100_000));
                Path lied = temp.resolve("direct-lied.bin");
                BlossomClientException e = assertThrows(BlossomClientException.class,
                        () -> direct.download(liar.url(""), sha, lied));
                assertTrue(e.hashMismatch(), e.getMessage());
                assertFalse(Files.exists(lied));
                try (Stream<Path> left = Files.list(temp)) {
                    assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> client.directWritesFrom(-1));
    }

    @Test
    void bud03DownloadFirstSkipsDeadAndLyingServers() throws Exception {
        byte[] content = random(20_000);
        BlobDescriptor d = client.upload(b.url(), file(content), null);
        try (Origin liar = Origin.start()) {
            liar.serve("/" + d.sha256(), "application/octet-stream", random(20_000));
            Path target = temp.resolve("fallback.bin");
            URI from = client.downloadFirst(List.of(dead, liar.url(""), a.url(), b.url()), d.sha256(), target);
            assertEquals(b.url(), from);
            assertArrayEquals(content, Files.readAllBytes(target));
            BlossomClientException none = assertThrows(BlossomClientException.class,
                    () -> client.downloadFirst(List.of(dead, liar.url("")), d.sha256(), target));
            assertEquals(2, none.getSuppressed().length);
        }
    }

    @Test
    void bud03UploadFirstFallsBackToTheNextServer() throws Exception {
        byte[] content = random(1000);
        BlossomClient.Uploaded u = client.uploadFirst(List.of(dead, a.url(), b.url()), file(content), "text/plain");
        assertEquals(a.url(), u.server());
        assertEquals(List.of(dead), List.copyOf(u.failures().keySet()));
        assertEquals(-1, u.failures().get(dead).status());
        assertEquals(Optional.empty(), client.head(b.url(), u.descriptor().sha256()));
    }
}
