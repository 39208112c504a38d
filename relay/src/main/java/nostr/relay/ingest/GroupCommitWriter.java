package nostr.relay.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import nostr.core.event.Event;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import nostr.relay.store.WriteStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single database writer (strfry's RelayWriter): one thread takes whatever is queued, up to
 * {@code maxBatch} events, and commits it with one {@link EventStore#write} call (group commit:
 * under load many events share one fsync; when idle a lone event is written at once, no
 * lingering). Only after that call returns, i.e. the batch is durable, is each event's
 * completion told its status, and the newly stored events handed to the {@link CommitListener}
 * (fan-out), in commit order.
 *
 * <p>Each batch gets a sequence number, published as {@link #startedSeq()} <em>before</em> the
 * write begins (any event a reader can see was written by a batch whose number is at most the
 * value read afterwards) and as {@link #committedSeq()} after it returns (every batch up to the
 * value read is visible to a reader starting afterwards). Subscriptions use both to hand over
 * from their stored phase to fan-out (see {@code Subscription}).
 *
 * <p>A failed write ({@link StoreException}) fails its whole batch with {@code error:}; the next
 * batch tries again, so the relay recovers by itself when the database comes back.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** OK message when the store fails. */
    public static final String STORAGE_FAILED = "error: could not save the event, the database is unavailable; try again later";
    static final String SHUTTING_DOWN = "error: the relay is shutting down; try again later";

    /** What became of one submitted event. */
    @FunctionalInterface
    public interface Completion {
        /**
         * @param status the store's verdict, or null when the write failed
         * @param error null, or the OK message ({@code error: ...}) when the write failed
         */
        void written(WriteStatus status, String error);
    }

    /** Told after each batch, in sequence order, with the events it newly stored (possibly none). */
    @FunctionalInterface
    public interface CommitListener {
        void committed(long seq, List<Event> stored) throws InterruptedException;
    }

    private record Job(Event event, Completion completion) {}

    private static final Job STOP = new Job(null, null);

    private final EventStore store;
    private final BlockingQueue<Job> queue;
    private final int maxBatch;
    private final CommitListener listener;
    private final IntConsumer batchSizes;
    private final java.util.function.LongConsumer commitNanos;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long startedSeq;
    private volatile long committedSeq;
    private boolean failing;

    /**
     * @param capacity events waiting before submitters block
     * @param maxBatch most events per transaction
     * @param batchSizes told each batch's size (metrics)
     * @param commitNanos told how long each write took (metrics)
     */
    public GroupCommitWriter(EventStore store, int capacity, int maxBatch, CommitListener listener, IntConsumer batchSizes,
                             java.util.function.LongConsumer commitNanos) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.listener = listener;
        this.batchSizes = batchSizes;
        this.commitNanos = commitNanos;
        this.thread = Thread.ofPlatform().name("writer").unstarted(this::run);
        thread.start();
    }

    /** Queues an event for the next batch, waiting while the queue is full. */
    public void submit(Event event, Completion completion) throws InterruptedException {
        if (closed) {
            completion.written(null, SHUTTING_DOWN);
            return;
        }
        queue.put(new Job(event, completion));
    }

    /** The sequence number of the latest batch whose write has started (0 before the first). */
    public long startedSeq() {
        return startedSeq;
    }

    /**
     * The sequence number of the latest batch whose write has returned (0 before the first): every
     * event it stored is visible to readers starting now.
     */
    public long committedSeq() {
        return committedSeq;
    }

    /** Events waiting for a batch. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Job> batch = new ArrayList<>(maxBatch);
        long seq = 0;
        boolean stop = false;
        while (!stop) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            int stopAt = batch.indexOf(STOP);
            if (stopAt >= 0) {
                stop = true;
                batch.subList(stopAt, batch.size()).clear();
            }
            if (batch.isEmpty()) {
                continue;
            }
            seq++;
            startedSeq = seq;
            write(seq, batch);
        }
        // Submitted while stopping: refuse rather than leave publishers waiting for an OK.
        Job j;
        while ((j = queue.poll()) != null) {
            if (j != STOP) {
                j.completion().written(null, SHUTTING_DOWN);
            }
        }
    }

    private void write(long seq, List<Job> batch) {
        batchSizes.accept(batch.size());
        // The same event twice in one batch (two clients racing) is written once.
        List<Event> events = new ArrayList<>(batch.size());
        int[] slot = new int[batch.size()];
        Map<String, Integer> seen = batch.size() > 1 ? new HashMap<>() : null;
        for (int i = 0; i < batch.size(); i++) {
            Event e = batch.get(i).event();
            Integer first = seen == null ? null : seen.putIfAbsent(e.id(), events.size());
            if (first == null) {
                slot[i] = events.size();
                events.add(e);
            } else {
                slot[i] = -1 - first;
            }
        }
        List<WriteStatus> statuses;
        try {
            long started = System.nanoTime();
            try {
                statuses = store.write(events);
            } finally {
                committedSeq = seq;
                commitNanos.accept(System.nanoTime() - started);
            }
            if (statuses.size() != events.size()) {
                throw new StoreException("store returned " + statuses.size() + " statuses for " + events.size() + " events");
            }
            if (failing) {
                failing = false;
                LOG.info("storage writes succeed again");
            }
        } catch (StoreException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("storage write of {} events failed; answering error: until it recovers", events.size(), e);
            }
            for (Job job : batch) {
                job.completion().written(null, STORAGE_FAILED);
            }
            publish(seq, List.of());
            return;
        }
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            WriteStatus s;
            if (slot[i] >= 0) {
                s = statuses.get(slot[i]);
                if (s == WriteStatus.STORED) {
                    stored.add(events.get(slot[i]));
                }
            } else {
                WriteStatus firstStatus = statuses.get(-1 - slot[i]);
                s = firstStatus == WriteStatus.STORED ? WriteStatus.DUPLICATE : firstStatus;
            }
            try {
                batch.get(i).completion().written(s, null);
            } catch (RuntimeException e) {
                LOG.error("completion of event {} failed", batch.get(i).event().id(), e);
            }
        }
        publish(seq, stored);
    }

    private void publish(long seq, List<Event> stored) {
        try {
            listener.committed(seq, stored);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes everything queued, then stops the thread; later submissions are refused. */
    @Override
    public void close() {
        closed = true;
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
