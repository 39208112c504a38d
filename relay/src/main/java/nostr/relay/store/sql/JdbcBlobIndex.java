package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nostr.blossom.server.BlobIndex;
import nostr.blossom.server.BlobIndexException;
import nostr.blossom.server.BlobListQuery;
import nostr.blossom.server.BlobRecord;
import nostr.blossom.server.OwnedBlob;
import nostr.relay.store.StoreException;

/**
 * Blossom blob metadata ({@code V5__blobs.sql} of each adapter): {@code blobs}, {@code blob_owners}
 * and {@code blob_usage}, the same SQL on SQLite and PostgreSQL.
 *
 * <p>Concurrency: SQLite has one writer, so every transaction here is serial. On PostgreSQL (several
 * relay nodes may share the database) a transaction first locks the blob's row
 * ({@code SELECT ... FOR UPDATE}), so adding and removing owners of one blob are serialized
 * and a blob row never outlives its last owner or loses a new one; and the quota check is the
 * {@code blob_usage} upsert itself, whose row lock serializes one pubkey's concurrent uploads: the
 * transaction adds the size, reads the new total and rolls back when it is over the quota.
 */
public final class JdbcBlobIndex implements BlobIndex {
    private final Transactions tx;
    private final String lockRow;

    /**
     * @param tx how the adapter runs transactions
     * @param rowLocks whether the database takes row locks ({@code FOR UPDATE}): PostgreSQL yes, SQLite no
     */
    public JdbcBlobIndex(Transactions tx, boolean rowLocks) {
        this.tx = tx;
        this.lockRow = rowLocks ? " FOR UPDATE" : "";
    }

    /** Thrown inside a transaction to roll it back when the quota would be exceeded. */
    private static final class OverQuota extends RuntimeException {
        final BlobRecord blob;

        OverQuota(BlobRecord blob) {
            super(null, null, false, false);
            this.blob = blob;
        }
    }

    @Override
    public AddResult addOwner(BlobRecord blob, String pubkey, long uploadedAt, long quotaBytes) throws BlobIndexException {
        Checks.hex64("pubkey", pubkey);
        Checks.text("type", blob.type());
        try {
            return tx.write(c -> {
                BlobRecord effective = null;
                boolean created = false;
                // The row may vanish between our insert and our lock (a concurrent last-owner delete): retry.
                for (int attempt = 0; attempt < 3 && effective == null; attempt++) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (sha256, size, type, created_at) "
                            + "VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")) {
                        ps.setString(1, blob.sha256());
                        ps.setLong(2, blob.size());
                        ps.setString(3, blob.type());
                        ps.setLong(4, blob.createdAt());
                        created = ps.executeUpdate() == 1;
                    }
                    effective = lockBlob(c, blob.sha256());
                }
                if (effective == null) {
                    throw new SQLException("blob " + blob.sha256() + " kept disappearing while being added");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_owners (sha256, pubkey, uploaded_at) "
                        + "VALUES (?, ?, ?) ON CONFLICT (sha256, pubkey) DO NOTHING")) {
                    ps.setString(1, blob.sha256());
                    ps.setString(2, pubkey);
                    ps.setLong(3, uploadedAt);
                    if (ps.executeUpdate() == 0) {
                        return new AddResult(Added.ALREADY_OWNER, new OwnedBlob(effective, uploadedAt(c, blob.sha256(), pubkey)));
                    }
                }
                long total;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_usage (pubkey, bytes) VALUES (?, ?) "
                        + "ON CONFLICT (pubkey) DO UPDATE SET bytes = blob_usage.bytes + excluded.bytes RETURNING bytes")) {
                    ps.setString(1, pubkey);
                    ps.setLong(2, effective.size());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
                if (quotaBytes > 0 && total > quotaBytes) {
                    throw new OverQuota(effective);
                }
                return new AddResult(created ? Added.NEW_BLOB : Added.NEW_OWNER, new OwnedBlob(effective, uploadedAt));
            });
        } catch (OverQuota e) {
            return new AddResult(Added.QUOTA_EXCEEDED, new OwnedBlob(e.blob, uploadedAt));
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    @Override
    public Optional<BlobRecord> find(String sha256) throws BlobIndexException {
        Checks.hex64("sha256", sha256);
        try {
            return tx.read(c -> Optional.ofNullable(select(c, sha256, "")));
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    @Override
    public Optional<OwnedBlob> findOwned(String sha256, String pubkey) throws BlobIndexException {
        Checks.hex64("sha256", sha256);
        Checks.hex64("pubkey", pubkey);
        try {
            return tx.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT b.size, b.type, b.created_at, o.uploaded_at "
                        + "FROM blob_owners o JOIN blobs b ON b.sha256 = o.sha256 WHERE o.sha256 = ? AND o.pubkey = ?")) {
                    ps.setString(1, sha256);
                    ps.setString(2, pubkey);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next()
                                ? Optional.of(new OwnedBlob(new BlobRecord(sha256, rs.getLong(1), rs.getString(2), rs.getLong(3)), rs.getLong(4)))
                                : Optional.<OwnedBlob>empty();
                    }
                }
            });
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    @Override
    public Removed removeOwner(String sha256, String pubkey) throws BlobIndexException {
        Checks.hex64("sha256", sha256);
        Checks.hex64("pubkey", pubkey);
        try {
            return tx.write(c -> {
                BlobRecord b = lockBlob(c, sha256);
                if (b == null) {
                    return Removed.NOT_OWNER;
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM blob_owners WHERE sha256 = ? AND pubkey = ?")) {
                    ps.setString(1, sha256);
                    ps.setString(2, pubkey);
                    if (ps.executeUpdate() == 0) {
                        return Removed.NOT_OWNER;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE blob_usage SET bytes = bytes - ? WHERE pubkey = ?")) {
                    ps.setLong(1, b.size());
                    ps.setString(2, pubkey);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM blob_usage WHERE pubkey = ? AND bytes <= 0")) {
                    ps.setString(1, pubkey);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM blob_owners WHERE sha256 = ? LIMIT 1")) {
                    ps.setString(1, sha256);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return Removed.OWNER_REMOVED;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM blobs WHERE sha256 = ?")) {
                    ps.setString(1, sha256);
                    ps.executeUpdate();
                }
                return Removed.LAST_OWNER_REMOVED;
            });
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<OwnedBlob> list(String pubkey, BlobListQuery q) throws BlobIndexException {
        Checks.hex64("pubkey", pubkey);
        try {
            return tx.read(c -> {
                Long cursorAt = null;
                if (q.cursor() != null) {
                    cursorAt = uploadedAt(c, q.cursor(), pubkey);
                    if (cursorAt == null) {
                        throw new IllegalArgumentException("cursor " + q.cursor() + " is not a blob of " + pubkey);
                    }
                }
                StringBuilder sql = new StringBuilder("SELECT b.sha256, b.size, b.type, b.created_at, o.uploaded_at "
                        + "FROM blob_owners o JOIN blobs b ON b.sha256 = o.sha256 WHERE o.pubkey = ?");
                if (cursorAt != null) {
                    sql.append(" AND (o.uploaded_at < ? OR (o.uploaded_at = ? AND o.sha256 > ?))");
                }
                if (q.since() != null) {
                    sql.append(" AND o.uploaded_at >= ?");
                }
                if (q.until() != null) {
                    sql.append(" AND o.uploaded_at <= ?");
                }
                sql.append(" ORDER BY o.uploaded_at DESC, o.sha256 ASC LIMIT ?");
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    int i = 1;
                    ps.setString(i++, pubkey);
                    if (cursorAt != null) {
                        ps.setLong(i++, cursorAt);
                        ps.setLong(i++, cursorAt);
                        ps.setString(i++, q.cursor());
                    }
                    if (q.since() != null) {
                        ps.setLong(i++, q.since());
                    }
                    if (q.until() != null) {
                        ps.setLong(i++, q.until());
                    }
                    ps.setInt(i, q.limit());
                    List<OwnedBlob> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new OwnedBlob(new BlobRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)),
                                    rs.getLong(5)));
                        }
                    }
                    return out;
                }
            });
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    @Override
    public long usage(String pubkey) throws BlobIndexException {
        Checks.hex64("pubkey", pubkey);
        try {
            return tx.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT bytes FROM blob_usage WHERE pubkey = ?")) {
                    ps.setString(1, pubkey);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                }
            });
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<String> owners(String sha256) throws BlobIndexException {
        Checks.hex64("sha256", sha256);
        try {
            return tx.read(c -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT pubkey FROM blob_owners WHERE sha256 = ? ORDER BY pubkey")) {
                    ps.setString(1, sha256);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
                return out;
            });
        } catch (StoreException e) {
            throw wrap(e);
        }
    }

    private BlobRecord lockBlob(Connection c, String sha256) throws SQLException {
        return select(c, sha256, lockRow);
    }

    private static BlobRecord select(Connection c, String sha256, String suffix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT size, type, created_at FROM blobs WHERE sha256 = ?" + suffix)) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BlobRecord(sha256, rs.getLong(1), rs.getString(2), rs.getLong(3)) : null;
            }
        }
    }

    private static Long uploadedAt(Connection c, String sha256, String pubkey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT uploaded_at FROM blob_owners WHERE sha256 = ? AND pubkey = ?")) {
            ps.setString(1, sha256);
            ps.setString(2, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static BlobIndexException wrap(StoreException e) {
        return new BlobIndexException(e.getMessage(), e);
    }
}
