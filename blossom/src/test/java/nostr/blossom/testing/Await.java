package nostr.blossom.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition until a deadline (tests never wait a fixed time). */
public final class Await {
    private Await() {}

    public static void until(String what, BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting for " + what);
            }
            // Polls: file-system state (temporary files) has no change notification to wait on.
            LockSupport.parkNanos(2_000_000);
        }
    }
}
