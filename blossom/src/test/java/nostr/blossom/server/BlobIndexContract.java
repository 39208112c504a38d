package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nostr.blossom.blob.Sha256;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobIndex} port's semantics (owners, quotas, BUD-12 list order and cursors), run
 * against every implementation: {@code InMemoryBlobIndexTest} here, the relay's SQLite and
 * PostgreSQL adapters in the relay module.
 */
public abstract class BlobIndexContract {
    protected BlobIndex index;

    /** An empty index of the implementation under test. */
    protected abstract BlobIndex openFresh() throws Exception;

    /** The same index after closing and opening its storage again. */
    protected abstract BlobIndex reopen() throws Exception;

    /** Releases what {@link #openFresh()} or {@link #reopen()} opened. */
    protected abstract void closeIndex() throws Exception;

    @BeforeEach
    void open() throws Exception {
        index = openFresh();
    }

    @AfterEach
    void close() throws Exception {
        closeIndex();
    }

    static String pk() {
        return SecretKey.generate().publicKey().hex();
    }

    static BlobRecord blob(String seed, long size, String type, long at) {
        return new BlobRecord(Sha256.of(seed.getBytes()), size, type, at);
    }

    @Test
    void bud02FirstOwnerCreatesTheBlobLaterOnesShareIt() throws Exception {
        String alice = pk();
        String bob = pk();
        BlobRecord b = blob("a", 10, "image/png", 1000);
        BlobIndex.AddResult first = index.addOwner(b, alice, 1000, 0);
        assertEquals(BlobIndex.Added.NEW_BLOB, first.outcome());
        assertEquals(new OwnedBlob(b, 1000), first.owned());

        // A second upload names another type and time: the record keeps the first ones.
        BlobIndex.AddResult second = index.addOwner(new BlobRecord(b.sha256(), 10, "text/plain", 2000), bob, 2000, 0);
        assertEquals(BlobIndex.Added.NEW_OWNER, second.outcome());
        assertEquals(new OwnedBlob(b, 2000), second.owned());

        BlobIndex.AddResult again = index.addOwner(new BlobRecord(b.sha256(), 10, "text/plain", 3000), alice, 3000, 0);
        assertEquals(BlobIndex.Added.ALREADY_OWNER, again.outcome());
        assertEquals(new OwnedBlob(b, 1000), again.owned());

        assertEquals(Optional.of(b), index.find(b.sha256()));
        assertEquals(Optional.of(new OwnedBlob(b, 2000)), index.findOwned(b.sha256(), bob));
        assertEquals(Optional.empty(), index.findOwned(b.sha256(), pk()));
        assertEquals(sorted(alice, bob), index.owners(b.sha256()));
    }

    @Test
    void bud12RemovingOwnersDropsTheBlobWithTheLast() throws Exception {
        String alice = pk();
        String bob = pk();
        BlobRecord b = blob("shared", 7, "text/plain", 50);
        index.addOwner(b, alice, 50, 0);
        index.addOwner(b, bob, 60, 0);

        assertEquals(BlobIndex.Removed.NOT_OWNER, index.removeOwner(b.sha256(), pk()));
        assertEquals(BlobIndex.Removed.OWNER_REMOVED, index.removeOwner(b.sha256(), alice));
        assertEquals(List.of(bob), index.owners(b.sha256()));
        assertEquals(BlobIndex.Removed.NOT_OWNER, index.removeOwner(b.sha256(), alice));
        assertTrue(index.find(b.sha256()).isPresent());

        assertEquals(BlobIndex.Removed.LAST_OWNER_REMOVED, index.removeOwner(b.sha256(), bob));
        assertEquals(Optional.empty(), index.find(b.sha256()));
        assertEquals(List.of(), index.owners(b.sha256()));
        assertEquals(BlobIndex.Removed.NOT_OWNER, index.removeOwner(b.sha256(), bob));
        assertEquals(0, index.usage(bob));
        assertEquals(List.of(), index.list(bob, BlobListQuery.first(10)));
    }

    @Test
    void usageCountsEachOwnedBlobOnce() throws Exception {
        String alice = pk();
        index.addOwner(blob("one", 100, "a/b", 1), alice, 1, 0);
        index.addOwner(blob("two", 250, "a/b", 2), alice, 2, 0);
        index.addOwner(blob("two", 250, "a/b", 3), alice, 3, 0);
        assertEquals(350, index.usage(alice));
        index.removeOwner(blob("one", 100, "a/b", 1).sha256(), alice);
        assertEquals(250, index.usage(alice));
        assertEquals(0, index.usage(pk()));
    }

    @Test
    void quotaAllowsUpToTheLimitAndRefusesBeyondWithoutChangingAnything() throws Exception {
        String alice = pk();
        assertEquals(BlobIndex.Added.NEW_BLOB, index.addOwner(blob("q1", 600, "a/b", 1), alice, 1, 1000).outcome());
        assertEquals(BlobIndex.Added.NEW_BLOB, index.addOwner(blob("q2", 400, "a/b", 2), alice, 2, 1000).outcome());
        BlobRecord over = blob("q3", 1, "a/b", 3);
        assertEquals(BlobIndex.Added.QUOTA_EXCEEDED, index.addOwner(over, alice, 3, 1000).outcome());
        assertEquals(Optional.empty(), index.find(over.sha256()));
        assertEquals(1000, index.usage(alice));
        assertEquals(2, index.list(alice, BlobListQuery.first(10)).size());

        // Owning a blob again costs nothing, even at the limit.
        assertEquals(BlobIndex.Added.ALREADY_OWNER, index.addOwner(blob("q1", 600, "a/b", 4), alice, 4, 1000).outcome());
        // Someone else's quota is their own; a shared blob counts for each owner.
        String bob = pk();
        assertEquals(BlobIndex.Added.NEW_OWNER, index.addOwner(blob("q1", 600, "a/b", 5), bob, 5, 1000).outcome());
        assertEquals(BlobIndex.Added.QUOTA_EXCEEDED, index.addOwner(blob("q2", 400, "a/b", 6), bob, 6, 999).outcome());
        assertEquals(List.of(alice), index.owners(blob("q2", 400, "a/b", 0).sha256()));
        assertEquals(600, index.usage(bob));
    }

    @Test
    void quotaHoldsUnderConcurrentUploads() throws Exception {
        String alice = pk();
        int n = 16;
        long size = 100;
        long quota = size * n / 2;
        List<Future<BlobIndex.Added>> results = new ArrayList<>();
        try (ExecutorService ex = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < n; i++) {
                BlobRecord b = blob("concurrent-" + i, size, "a/b", i);
                results.add(ex.submit(() -> index.addOwner(b, alice, b.createdAt(), quota).outcome()));
            }
        }
        int stored = 0;
        for (Future<BlobIndex.Added> f : results) {
            BlobIndex.Added a = f.get();
            stored += a == BlobIndex.Added.NEW_BLOB ? 1 : 0;
            assertTrue(a == BlobIndex.Added.NEW_BLOB || a == BlobIndex.Added.QUOTA_EXCEEDED, a.toString());
        }
        assertEquals(n / 2, stored);
        assertEquals(quota, index.usage(alice));
    }

    @Test
    void bud12ListIsNewestFirstWithCursorPages() throws Exception {
        String alice = pk();
        String bob = pk();
        List<String> expected = new ArrayList<>();
        // Times 100, 90, ..., with two blobs sharing each time: ties go to the lower hash first.
        for (int i = 0; i < 10; i++) {
            long at = 100 - (i / 2) * 10;
            BlobRecord b = blob("list-" + i, i + 1, "a/b", at);
            index.addOwner(b, alice, at, 0);
            expected.add(b.sha256());
        }
        index.addOwner(blob("bobs", 1, "a/b", 500), bob, 500, 0);
        List<String> ordered = new ArrayList<>();
        for (int i = 0; i < 10; i += 2) {
            List<String> pair = sorted(expected.get(i), expected.get(i + 1));
            ordered.addAll(pair);
        }

        List<OwnedBlob> all = index.list(alice, BlobListQuery.first(100));
        assertEquals(ordered, all.stream().map(o -> o.blob().sha256()).toList());

        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            List<OwnedBlob> p = index.list(alice, new BlobListQuery(cursor, 3, null, null));
            if (p.isEmpty()) {
                break;
            }
            assertTrue(p.size() <= 3);
            p.forEach(o -> paged.add(o.blob().sha256()));
            cursor = p.getLast().blob().sha256();
        }
        assertEquals(ordered, paged);

        List<OwnedBlob> window = index.list(alice, new BlobListQuery(null, 100, 80L, 90L));
        assertEquals(ordered.subList(2, 6), window.stream().map(o -> o.blob().sha256()).toList());
        assertEquals(List.of(), index.list(pk(), BlobListQuery.first(5)));
    }

    @Test
    void bud12CursorOfABlobTheOwnerDoesNotHaveIsRefused() throws Exception {
        String alice = pk();
        index.addOwner(blob("mine", 1, "a/b", 1), alice, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> index.list(alice, new BlobListQuery(Sha256.of("other".getBytes()), 5, null, null)));
        assertTrue(e.getMessage().contains("cursor"), e.getMessage());
    }

    @Test
    void malformedArgumentsAreRefusedAndChangeNothing() throws Exception {
        String alice = pk();
        BlobRecord b = blob("x", 1, "a/b", 1);
        assertThrows(IllegalArgumentException.class, () -> index.addOwner(b, alice.toUpperCase(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> index.addOwner(b, "npub1", 1, 0));
        assertThrows(IllegalArgumentException.class, () -> index.find("ABC"));
        assertThrows(IllegalArgumentException.class, () -> index.removeOwner(b.sha256(), "x"));
        assertThrows(IllegalArgumentException.class, () -> index.list("x", BlobListQuery.first(1)));
        assertThrows(IllegalArgumentException.class, () -> new BlobRecord("zz", 1, "a/b", 1));
        assertEquals(Optional.empty(), index.find(b.sha256()));
    }

    @Test
    void ownershipSurvivesReopening() throws Exception {
        String alice = pk();
        BlobRecord b = blob("durable", 42, "application/pdf", 77);
        index.addOwner(b, alice, 78, 0);
        index = reopen();
        assertEquals(Optional.of(b), index.find(b.sha256()));
        assertEquals(Optional.of(new OwnedBlob(b, 78)), index.findOwned(b.sha256(), alice));
        assertEquals(42, index.usage(alice));
    }

    private static List<String> sorted(String... s) {
        List<String> l = new ArrayList<>(List.of(s));
        l.sort(null);
        return l;
    }
}
