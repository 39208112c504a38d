package nostr.relay.ingest;

import java.util.HashMap;
import java.util.Map;
import nostr.core.event.Event;

/**
 * The kinds some NIP gives a meaning to beyond "store and broadcast", registered by the packages
 * that implement them: a cheap structural check run before the signature is verified (kind 5
 * needs e or a tags, kind 62 must name this relay, NIP-43 requests need a claim and a fresh
 * created_at ...), and for a few kinds a {@link RequestHandler} that answers the event itself
 * after verification instead of the writer or fan-out (NIP-43 join and leave requests).
 */
public final class KindRules {
    /** A check of one kind's events before verification. */
    @FunctionalInterface
    public interface Check {
        /** Null when the event may proceed, else the OK false message with its machine prefix. */
        String check(Event event, long nowSeconds);
    }

    /**
     * Acts on verified events of its kinds before (or instead of) ingest's usual path: it either
     * answers the event itself through {@code sink} (neither stored nor broadcast), or, once it has
     * done its part, calls {@code proceed} to store and broadcast it as usual (ingest then answers).
     * Exactly one of the two happens, possibly on another thread.
     */
    public interface RequestHandler {
        void handle(Event event, OkSink sink, Runnable proceed);
    }

    private final Map<Integer, Check> checks = new HashMap<>();
    private final Map<Integer, RequestHandler> handlers = new HashMap<>();

    /** Rules for kinds the relay treats like any other (no special kinds). */
    public static KindRules none() {
        return new KindRules();
    }

    /** Adds a check for {@code kind} (several checks of one kind run in the order added). */
    public KindRules check(int kind, Check check) {
        checks.merge(kind, check, (a, b) -> (e, now) -> {
            String r = a.check(e, now);
            return r != null ? r : b.check(e, now);
        });
        return this;
    }

    /** Makes {@code handler} answer events of {@code kind} after verification. */
    public KindRules handle(int kind, RequestHandler handler) {
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("kind " + kind + " already has a handler");
        }
        return this;
    }

    /** Null when the event may proceed to verification, else the OK false message. */
    public String check(Event e, long nowSeconds) {
        Check c = checks.get(e.kind());
        return c == null ? null : c.check(e, nowSeconds);
    }

    /** The handler of {@code kind}, or null when ingest stores or broadcasts it as usual. */
    public RequestHandler handler(int kind) {
        return handlers.get(kind);
    }
}
