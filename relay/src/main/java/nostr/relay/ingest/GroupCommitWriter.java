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
 * <p>Requests that change other events are written in batch order, each in a transaction of its
 * own: a NIP-09 deletion request (kind 5) is stored and applied in one transaction
 * ({@link EventStore#writeDeletionRequest}), a NIP-62 request to vanish ({@link #submitVanish}) is
 * applied ({@link EventStore#vanish}); the events queued before it are committed before it, those
 * after it in the next transaction, so "published, then deleted" and "deleted, then re-published"
 * keep their order. (An event stored and deleted within one batch has still been fanned out, as it
 * would have been a moment earlier; clients then see the deletion request.)
 *
 * <p>A failed write ({@link StoreException}) fails the events of its transaction with
 * {@code error:}; the next batch tries again, so the relay recovers by itself when the database
 * comes back.
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

    /** What became of a request to vanish. */
    @FunctionalInterface
    public interface VanishCompletion {
        /**
         * @param removed events the store removed, or -1 when the write failed
         * @param error null, or the OK message ({@code error: ...}) when the write failed
         */
        void vanished(int removed, String error);
    }

    /** Told of every deletion request or request to vanish applied, with how many events it removed (metrics). */
    @FunctionalInterface
    public interface RemovalListener {
        /** @param kind 5 (NIP-09) or 62 (NIP-62) */
        void removed(int kind, int events);
    }

    /** Told after each batch, in sequence order, with the events it newly stored (possibly none). */
    @FunctionalInterface
    public interface CommitListener {
        void committed(long seq, List<Event> stored) throws InterruptedException;
    }

    /** One entry of the writer's inbox. */
    private sealed interface Job permits Write, Vanish, Stop {
        Event event();
    }

    /** Store the event (kind 5: store and apply it). */
    private record Write(Event event, Completion completion) implements Job {}

    /** Apply a NIP-62 request to vanish (the request itself is not stored). */
    private record Vanish(Event event, VanishCompletion completion) implements Job {}

    private record Stop() implements Job {
        @Override
        public Event event() {
            return null;
        }
    }

    private static final Job STOP = new Stop();
    /** NIP-09 deletion request. */
    static final int DELETION = 5;
    /** NIP-62 request to vanish. */
    static final int VANISH = 62;

    private final EventStore store;
    private final BlockingQueue<Job> queue;
    private final int maxBatch;
    private final CommitListener listener;
    private final IntConsumer batchSizes;
    private final java.util.function.LongConsumer commitNanos;
    private final RemovalListener removals;
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
        this(store, capacity, maxBatch, listener, batchSizes, commitNanos, (kind, n) -> { });
    }

    /** As above, with a listener told what deletion requests and requests to vanish removed. */
    public GroupCommitWriter(EventStore store, int capacity, int maxBatch, CommitListener listener, IntConsumer batchSizes,
                             java.util.function.LongConsumer commitNanos, RemovalListener removals) {
        this.removals = removals;
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
        queue.put(new Write(event, completion));
    }

    /**
     * Queues a NIP-62 request to vanish (kind 62, already verified and addressed to this relay):
     * the writer removes its author's events up to its created_at in its turn.
     */
    public void submitVanish(Event request, VanishCompletion completion) throws InterruptedException {
        if (closed) {
            completion.vanished(-1, SHUTTING_DOWN);
            return;
        }
        queue.put(new Vanish(request, completion));
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
            switch (j) {
                case Write w -> w.completion().written(null, SHUTTING_DOWN);
                case Vanish v -> v.completion().vanished(-1, SHUTTING_DOWN);
                case Stop ignored -> { }
            }
        }
    }

    /**
     * Writes one batch: runs of plain events as one transaction each, every deletion request and
     * request to vanish as a transaction of its own, in queue order; then fan-out.
     */
    private void write(long seq, List<Job> batch) {
        batchSizes.accept(batch.size());
        List<Event> stored = new ArrayList<>();
        // Answers wait until the whole batch is committed and committedSeq says so: a client that
        // got its OK and then sends a REQ must find the batch covered by that REQ's stored phase.
        List<Runnable> answers = new ArrayList<>(batch.size());
        List<Write> run = new ArrayList<>();
        try {
            for (Job job : batch) {
                if (job instanceof Write w && w.event().kind() != DELETION) {
                    run.add(w);
                    continue;
                }
                if (!run.isEmpty()) {
                    writeRun(run, stored, answers);
                    run.clear();
                }
                switch (job) {
                    case Write w -> writeDeletionRequest(w, stored, answers);
                    case Vanish v -> vanish(v, answers);
                    case Stop ignored -> { }
                }
            }
            if (!run.isEmpty()) {
                writeRun(run, stored, answers);
            }
        } finally {
            committedSeq = seq;
            for (Runnable answer : answers) {
                answer.run();
            }
        }
        publish(seq, stored);
    }

    private void writeDeletionRequest(Write job, List<Event> stored, List<Runnable> answers) {
        EventStore.Applied applied;
        long started = System.nanoTime();
        try {
            applied = store.writeDeletionRequest(job.event());
            succeeded();
        } catch (StoreException | RuntimeException e) {
            failed(1, e);
            answers.add(() -> complete(job, null, STORAGE_FAILED));
            return;
        } finally {
            commitNanos.accept(System.nanoTime() - started);
        }
        if (applied.status() == WriteStatus.STORED) {
            stored.add(job.event());
        }
        if (applied.status() == WriteStatus.STORED || applied.status() == WriteStatus.DUPLICATE) {
            removals.removed(DELETION, applied.removed());
        }
        answers.add(() -> complete(job, applied.status(), null));
    }

    private void vanish(Vanish job, List<Runnable> answers) {
        int removed;
        long started = System.nanoTime();
        try {
            removed = store.vanish(job.event().pubkey(), job.event().createdAt());
            succeeded();
        } catch (StoreException | RuntimeException e) {
            failed(1, e);
            answers.add(() -> job.completion().vanished(-1, STORAGE_FAILED));
            return;
        } finally {
            commitNanos.accept(System.nanoTime() - started);
        }
        removals.removed(VANISH, removed);
        answers.add(() -> {
            try {
                job.completion().vanished(removed, null);
            } catch (RuntimeException e) {
                LOG.error("completion of request to vanish {} failed", job.event().id(), e);
            }
        });
    }

    private void succeeded() {
        if (failing) {
            failing = false;
            LOG.info("storage writes succeed again");
        }
    }

    private void failed(int events, Exception e) {
        if (!failing) {
            failing = true;
            LOG.warn("storage write of {} events failed; answering error: until it recovers", events, e);
        }
    }

    private static void complete(Write job, WriteStatus status, String error) {
        try {
            job.completion().written(status, error);
        } catch (RuntimeException e) {
            LOG.error("completion of event {} failed", job.event().id(), e);
        }
    }

    /** One transaction for a run of plain events. */
    private void writeRun(List<Write> batch, List<Event> stored, List<Runnable> answers) {
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
                commitNanos.accept(System.nanoTime() - started);
            }
            if (statuses.size() != events.size()) {
                throw new StoreException("store returned " + statuses.size() + " statuses for " + events.size() + " events");
            }
            succeeded();
        } catch (StoreException | RuntimeException e) {
            failed(events.size(), e);
            for (Write job : batch) {
                answers.add(() -> complete(job, null, STORAGE_FAILED));
            }
            return;
        }
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
            Write job = batch.get(i);
            WriteStatus status = s;
            answers.add(() -> complete(job, status, null));
        }
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
