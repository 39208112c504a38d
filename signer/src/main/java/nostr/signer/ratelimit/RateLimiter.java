package nostr.signer.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import nostr.signer.config.SignerConfig.RateLimit;
import nostr.signer.ops.SignerException;

/**
 * Per-sender limit of one operation, as the signer seed's rate limiting table gives it: a cooldown
 * between calls, a cap per sliding minute, and a lockout once the cap is exceeded (fixed, or doubling
 * with each further violation up to a maximum). A sender's violation streak is forgotten after a
 * clean minute following its last lockout. Rejections carry how long to wait.
 */
public final class RateLimiter {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_TRACKED = 4096;

    private final String operation;
    private final RateLimit limit;
    private final InstantSource clock;
    private final Map<String, SenderState> senders = new ConcurrentHashMap<>();

    public RateLimiter(String operation, RateLimit limit, InstantSource clock) {
        this.operation = operation;
        this.limit = limit;
        this.clock = clock;
    }

    private static final class SenderState {
        final ArrayDeque<Instant> window = new ArrayDeque<>();
        Instant lastAccepted;
        Instant lockedUntil = Instant.MIN;
        int violations;
        Instant lastSeen;
    }

    /**
     * Admits one call from {@code sender} or throws {@link SignerException.Reason#RATE_LIMITED}.
     */
    public void acquire(String sender) {
        Instant now = clock.instant();
        if (senders.size() > MAX_TRACKED) {
            senders.values().removeIf(s -> s.lastSeen.plus(WINDOW.multipliedBy(10)).isBefore(now)
                    && s.lockedUntil.isBefore(now));
        }
        SenderState s = senders.computeIfAbsent(sender, k -> new SenderState());
        synchronized (s) {
            s.lastSeen = now;
            if (now.isBefore(s.lockedUntil)) {
                throw limited("locked out for another " + millis(now, s.lockedUntil) + " ms");
            }
            if (!limit.cooldown().isZero() && s.lastAccepted != null
                    && now.isBefore(s.lastAccepted.plus(limit.cooldown()))) {
                throw limited("cooldown of " + limit.cooldown().toMillis() + " ms between calls, retry in "
                        + millis(now, s.lastAccepted.plus(limit.cooldown())) + " ms");
            }
            while (!s.window.isEmpty() && !s.window.peekFirst().plus(WINDOW).isAfter(now)) {
                s.window.pollFirst();
            }
            if (s.violations > 0 && !now.isBefore(s.lockedUntil.plus(WINDOW))) {
                s.violations = 0;
            }
            if (limit.maxPerMinute() > 0 && s.window.size() >= limit.maxPerMinute()) {
                Duration lockout = lockoutFor(s.violations);
                s.violations++;
                s.lockedUntil = now.plus(lockout);
                throw limited("more than " + limit.maxPerMinute() + " calls per minute, locked out for "
                        + lockout.toMillis() + " ms");
            }
            s.window.addLast(now);
            s.lastAccepted = now;
        }
    }

    private Duration lockoutFor(int previousViolations) {
        if (!limit.exponential()) {
            return limit.lockout();
        }
        Duration d = limit.lockout();
        for (int i = 0; i < previousViolations && d.compareTo(limit.lockoutMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(limit.lockoutMax()) > 0 ? limit.lockoutMax() : d;
    }

    private SignerException limited(String why) {
        return SignerException.rateLimited(operation + " rate limited: " + why);
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(1, Duration.between(from, to).toMillis());
    }
}
