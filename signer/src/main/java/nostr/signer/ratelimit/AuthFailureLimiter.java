package nostr.signer.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The brute-force limiter of NIP-46 connection attempts ("Client Auth" in the seed's rate limiting
 * table): a client key may fail {@code maxFailures} times; each failure after that locks it out for
 * 1 s, 2 s, 4 s ... up to {@code lockoutMax}. While locked out, attempts are refused before any
 * secret is compared. A success clears the record.
 */
public final class AuthFailureLimiter {
    private static final int MAX_TRACKED = 4096;

    private final int maxFailures;
    private final Duration lockoutMax;
    private final InstantSource clock;
    private final Map<String, Record> clients = new ConcurrentHashMap<>();

    private record Record(int failures, Instant lockedUntil, Instant lastFailure) {}

    public AuthFailureLimiter(int maxFailures, Duration lockoutMax, InstantSource clock) {
        this.maxFailures = maxFailures;
        this.lockoutMax = lockoutMax;
        this.clock = clock;
    }

    /** Milliseconds {@code client} must still wait, or 0 when it may try now. */
    public long lockedForMillis(String client) {
        Record r = clients.get(client);
        Instant now = clock.instant();
        if (r == null || !now.isBefore(r.lockedUntil())) {
            return 0;
        }
        return Math.max(1, Duration.between(now, r.lockedUntil()).toMillis());
    }

    /** Records a failed attempt; returns the lockout it started (zero while under the allowance). */
    public Duration failure(String client) {
        Instant now = clock.instant();
        if (clients.size() > MAX_TRACKED) {
            clients.values().removeIf(r -> r.lastFailure().plus(lockoutMax.multipliedBy(2)).isBefore(now));
        }
        Record updated = clients.merge(client, new Record(1, Instant.MIN, now),
                (old, one) -> new Record(old.failures() + 1, old.lockedUntil(), now));
        Duration lockout = Duration.ZERO;
        if (updated.failures() > maxFailures) {
            lockout = Duration.ofSeconds(1);
            for (int i = maxFailures + 1; i < updated.failures() && lockout.compareTo(lockoutMax) < 0; i++) {
                lockout = lockout.multipliedBy(2);
            }
            if (lockout.compareTo(lockoutMax) > 0) {
                lockout = lockoutMax;
            }
            Instant until = now.plus(lockout);
            clients.computeIfPresent(client, (k, r) -> new Record(r.failures(), until, r.lastFailure()));
        }
        return lockout;
    }

    /** Forgets the client's failures after a successful attempt. */
    public void success(String client) {
        clients.remove(client);
    }
}
