package nostr.relay.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Cluster mode's record of which node stored which events, in each node's commit order: the
 * authority that lets a node catch up on events whose NATS messages it never got (see the
 * "Cluster" section of relay/README.md). Only stores that several relay processes share have one
 * (PostgreSQL; {@link Storage#journal()} is empty on SQLite).
 *
 * <p>Each node (an <em>origin</em>, named by its {@code node_id}) numbers the events it stores 1, 2,
 * 3, ... without gaps, in the same transaction that stores them, and moves its <em>head</em> (the
 * last number) with them. Since a node has one writer, its numbers are committed in order: a
 * reader that has seen an origin's entries up to {@code n} and reads its head {@code h} knows the
 * entries {@code n+1..h} exist, and that every event committed before the head was read is among
 * the entries up to {@code h}.
 */
public interface CommitJournal {

    /**
     * One entry: the {@code seq}-th event stored by its origin.
     *
     * @param json the event's raw JSON as received, or null when it is no longer stored (deleted,
     *     replaced, vanished, purged since)
     */
    record Entry(long seq, String eventId, String json) {}

    /** Told, after a commit, the entries the transaction recorded, in seq order ({@code json} set). */
    @FunctionalInterface
    interface Recorder {
        void recorded(List<Entry> entries);
    }

    /**
     * The events store as the given origin's single writer sees it: {@link EventStore#write} and
     * {@link EventStore#writeDeletionRequest} also record every event they store (STORED) under
     * {@code origin}, in the same transaction, and after the commit tell {@code recorder} (on the
     * writing thread). Everything else is the plain events store.
     */
    EventStore recording(String origin, Recorder recorder);

    /** The last seq of every origin that ever recorded an entry. */
    Map<String, Long> heads() throws StoreException;

    /**
     * The entries of {@code origin} with {@code afterSeq < seq <= untilSeq}, in seq order, at most
     * {@code limit}. Entries pruned meanwhile are absent (a gap in the seqs returned).
     */
    List<Entry> read(String origin, long afterSeq, long untilSeq, int limit) throws StoreException;

    /** Deletes entries committed more than {@code retention} ago (by the database's clock); heads stay. Returns how many. */
    int prune(Duration retention) throws StoreException;

    /**
     * Claims {@code origin} for this process until the lease is closed (or the process dies): two
     * running nodes with one name would each take the other's events for their own.
     *
     * @throws IllegalStateException when another process holds it
     */
    Lease lease(String origin) throws StoreException;

    /** A claim on an origin name (see {@link #lease}). */
    interface Lease extends AutoCloseable {

        /**
         * Checks that the claim still holds and re-takes it when its database session was lost (a
         * database restart ends the session); false when it cannot be held now.
         */
        boolean renew();

        @Override
        void close();
    }
}
