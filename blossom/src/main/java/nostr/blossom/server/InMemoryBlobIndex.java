package nostr.blossom.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import nostr.blossom.blob.Sha256;
import nostr.core.Hex;

/**
 * A {@link BlobIndex} in memory, for a Blossom server embedded in tests or tools that need no
 * persistence (it forgets everything when the JVM exits; the blob files stay). Same semantics as
 * the relay's stores: one lock, every call atomic.
 */
public final class InMemoryBlobIndex implements BlobIndex {
    private static final Comparator<OwnedBlob> NEWEST_FIRST = Comparator.comparingLong(OwnedBlob::uploadedAt).reversed()
            .thenComparing(o -> o.blob().sha256());

    private final Map<String, BlobRecord> blobs = new HashMap<>();
    /** sha256 -> (pubkey -> uploadedAt), pubkeys sorted. */
    private final Map<String, TreeMap<String, Long>> owners = new HashMap<>();
    private final Map<String, Long> usage = new HashMap<>();

    @Override
    public synchronized AddResult addOwner(BlobRecord blob, String pubkey, long uploadedAt, long quotaBytes) {
        checkPubkey(pubkey);
        BlobRecord known = blobs.get(blob.sha256());
        BlobRecord effective = known != null ? known : blob;
        TreeMap<String, Long> mine = owners.get(blob.sha256());
        if (mine != null && mine.containsKey(pubkey)) {
            return new AddResult(Added.ALREADY_OWNER, new OwnedBlob(effective, mine.get(pubkey)));
        }
        long used = usage.getOrDefault(pubkey, 0L);
        if (quotaBytes > 0 && used + effective.size() > quotaBytes) {
            return new AddResult(Added.QUOTA_EXCEEDED, new OwnedBlob(effective, uploadedAt));
        }
        if (known == null) {
            blobs.put(blob.sha256(), blob);
        }
        owners.computeIfAbsent(blob.sha256(), k -> new TreeMap<>()).put(pubkey, uploadedAt);
        usage.put(pubkey, used + effective.size());
        return new AddResult(known == null ? Added.NEW_BLOB : Added.NEW_OWNER, new OwnedBlob(effective, uploadedAt));
    }

    @Override
    public synchronized Optional<BlobRecord> find(String sha256) {
        checkHash(sha256);
        return Optional.ofNullable(blobs.get(sha256));
    }

    @Override
    public synchronized Optional<OwnedBlob> findOwned(String sha256, String pubkey) {
        checkHash(sha256);
        checkPubkey(pubkey);
        TreeMap<String, Long> mine = owners.get(sha256);
        Long at = mine == null ? null : mine.get(pubkey);
        return at == null ? Optional.empty() : Optional.of(new OwnedBlob(blobs.get(sha256), at));
    }

    @Override
    public synchronized Removed removeOwner(String sha256, String pubkey) {
        checkHash(sha256);
        checkPubkey(pubkey);
        TreeMap<String, Long> mine = owners.get(sha256);
        if (mine == null || mine.remove(pubkey) == null) {
            return Removed.NOT_OWNER;
        }
        long size = blobs.get(sha256).size();
        usage.merge(pubkey, -size, Long::sum);
        if (usage.get(pubkey) == 0) {
            usage.remove(pubkey);
        }
        if (mine.isEmpty()) {
            owners.remove(sha256);
            blobs.remove(sha256);
            return Removed.LAST_OWNER_REMOVED;
        }
        return Removed.OWNER_REMOVED;
    }

    @Override
    public synchronized List<OwnedBlob> list(String pubkey, BlobListQuery q) {
        checkPubkey(pubkey);
        List<OwnedBlob> all = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, Long>> e : owners.entrySet()) {
            Long at = e.getValue().get(pubkey);
            if (at != null) {
                all.add(new OwnedBlob(blobs.get(e.getKey()), at));
            }
        }
        all.sort(NEWEST_FIRST);
        int start = 0;
        if (q.cursor() != null) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).blob().sha256().equals(q.cursor())) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new IllegalArgumentException("cursor " + q.cursor() + " is not a blob of " + pubkey);
            }
        }
        List<OwnedBlob> page = new ArrayList<>();
        for (int i = start; i < all.size() && page.size() < q.limit(); i++) {
            OwnedBlob o = all.get(i);
            if ((q.since() == null || o.uploadedAt() >= q.since()) && (q.until() == null || o.uploadedAt() <= q.until())) {
                page.add(o);
            }
        }
        return page;
    }

    @Override
    public synchronized long usage(String pubkey) {
        checkPubkey(pubkey);
        return usage.getOrDefault(pubkey, 0L);
    }

    @Override
    public synchronized List<String> owners(String sha256) {
        checkHash(sha256);
        TreeMap<String, Long> mine = owners.get(sha256);
        return mine == null ? List.of() : List.copyOf(mine.keySet());
    }

    private static void checkHash(String sha256) {
        if (!Sha256.isHash(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters, got '" + sha256 + "'");
        }
    }

    private static void checkPubkey(String pubkey) {
        if (pubkey == null || !Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + pubkey + "'");
        }
    }
}
