package nostr.relay.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nostr.relay.subscription.Outbox;

/**
 * One connection's outgoing messages, bounded in bytes.
 *
 * <p>Any thread may {@link #offer}: the fan-out thread, query threads, the writer (OKs). Messages
 * go into a lock-free queue; the first producer to find the queue idle schedules a drain on the
 * executor, which hands everything queued to the {@link Transport} in one call, so a busy
 * connection gets many messages per write. The byte count covers messages queued and those the
 * transport has not finished writing: a client that stops reading makes it grow, and when it
 * passes the bound the connection is closed as a slow consumer. Nothing waits for a slow client
 * and its backlog never exceeds the bound.
 *
 * <p>Stored-phase results first {@link #awaitRoom wait} while the queue is more than
 * half full, so a large REQ slows itself down rather than getting its own connection closed, and
 * live events always keep half the room.
 */
public final class OutboundQueue implements Outbox {
    /** WebSocket close code for a slow consumer: policy violation. */
    public static final int SLOW_CONSUMER_CLOSE_CODE = 1008;
    private static final int MAX_MESSAGES_PER_WRITE = 256;

    private final Transport transport;
    private final Executor drainer;
    private final long maxBytes;
    private final Runnable onOverflow;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;
    // Producers waiting for room (stored phases); completions signal only when there are any.
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();
    private volatile int waiters;

    /**
     * @param transport where messages go
     * @param drainer runs drains (virtual threads in the relay, the calling thread in unit tests)
     * @param maxBytes bytes queued or being written before the connection counts as a slow consumer
     * @param onOverflow runs once when the queue closes the connection as a slow consumer
     */
    public OutboundQueue(Transport transport, Executor drainer, long maxBytes, Runnable onOverflow) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.transport = transport;
        this.drainer = drainer;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
    }

    /** Queues a message; false when the queue is closed or this message made it overflow (then it closed). */
    @Override
    public boolean offer(byte[] message) {
        if (!offerDeferred(message)) {
            return false;
        }
        flush();
        return true;
    }

    @Override
    public boolean offerDeferred(byte[] message) {
        if (closed) {
            return false;
        }
        long pending = pendingBytes.addAndGet(message.length);
        if (pending > maxBytes) {
            overflow(pending);
            return false;
        }
        queue.add(message);
        return true;
    }

    @Override
    public void flush() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            drainer.execute(this::drain);
        }
    }

    /** Queues a text message (UTF-8 encoded here). */
    public boolean offer(String message) {
        return offer(message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits while more than half of the bound is in use.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which to give up
     * @return false when the queue closed or the deadline passed before there was room
     */
    @Override
    public boolean awaitRoom(long deadlineNanos) throws InterruptedException {
        long half = maxBytes / 2;
        if (pendingBytes.get() > half && !closed) {
            flush();
            roomLock.lock();
            try {
                waiters++;
                try {
                    while (pendingBytes.get() > half && !closed) {
                        long left = deadlineNanos - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        room.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                    }
                } finally {
                    waiters--;
                }
            } finally {
                roomLock.unlock();
            }
        }
        return !closed;
    }

    /** Stops sending: later offers are dropped. Does not close the transport. */
    public void close() {
        closed = true;
        queue.clear();
        signalRoom();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Bytes queued or being written now. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    private void overflow(long pending) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        queue.clear();
        signalRoom();
        transport.close(SLOW_CONSUMER_CLOSE_CODE, "slow consumer: " + pending + " bytes waiting, limit " + maxBytes);
        onOverflow.run();
    }

    private void drain() {
        while (true) {
            List<byte[]> batch = null;
            long bytes = 0;
            byte[] m;
            while ((batch == null || batch.size() < MAX_MESSAGES_PER_WRITE) && (m = queue.poll()) != null) {
                if (batch == null) {
                    batch = new ArrayList<>(Math.min(16, MAX_MESSAGES_PER_WRITE));
                }
                batch.add(m);
                bytes += m.length;
            }
            if (batch == null) {
                scheduled.set(false);
                // A producer may have queued after our last poll but before the flag cleared.
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (closed) {
                pendingBytes.addAndGet(-bytes);
                continue;
            }
            long written = bytes;
            transport.send(batch, () -> written(written));
        }
    }

    private void written(long bytes) {
        pendingBytes.addAndGet(-bytes);
        signalRoom();
    }

    private void signalRoom() {
        if (waiters > 0) {
            roomLock.lock();
            try {
                room.signalAll();
            } finally {
                roomLock.unlock();
            }
        }
    }
}
