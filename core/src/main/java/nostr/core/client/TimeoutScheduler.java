package nostr.core.client;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client's timeouts (OK, COUNT, pool EOSE, close): one daemon scheduler thread that starts
 * each due task on a virtual thread. Not {@code CompletableFuture.delayedExecutor}, whose tasks
 * run on the common pool and would all stall whenever that pool is saturated. Cancelled tasks
 * leave the queue at once, so answered requests are not kept alive until their deadline.
 */
final class TimeoutScheduler {
    private static final ScheduledThreadPoolExecutor SCHEDULER;

    static {
        SCHEDULER = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("nostr-client-timeouts").daemon(true).factory());
        SCHEDULER.setRemoveOnCancelPolicy(true);
    }

    private TimeoutScheduler() {}

    /** Runs {@code task} on a virtual thread after {@code delay}; cancel the result to drop it. */
    static ScheduledFuture<?> after(Duration delay, Runnable task) {
        return SCHEDULER.schedule(() -> Thread.ofVirtual().name("nostr-client-timeout").start(task),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
