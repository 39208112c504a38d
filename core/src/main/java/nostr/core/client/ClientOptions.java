package nostr.core.client;

import java.time.Duration;
import java.util.Objects;
import nostr.core.event.EventSigner;

/**
 * Settings of a {@link RelayClient} or {@link RelayPool}, validated once. Start from
 * {@link #defaults()} and change fields with the {@code with...} methods.
 *
 * @param connectTimeout how long opening a connection (TCP and WebSocket upgrade) may take
 * @param requestTimeout how long a publish may wait for its OK, and a COUNT for its answer
 * @param eoseTimeout how long a {@link RelayPool} subscription waits for a relay's EOSE before
 *     counting that relay as done
 * @param signer answers NIP-42 AUTH challenges; null to leave them unanswered
 * @param backoff reconnection schedule
 * @param noticeListener receives NOTICE messages
 * @param verifyEvents check the id and signature of every received event and drop invalid ones
 * @param maxMessageChars largest relay message accepted; a bigger one breaks the connection
 * @param dedupCapacity how many event ids a subscription remembers to drop duplicates (across a
 *     pool's relays, and across re-subscriptions after a reconnect)
 * @param pingInterval how often a WebSocket ping is sent; a connection that received nothing
 *     between two pings is treated as lost (and reconnected)
 */
public record ClientOptions(Duration connectTimeout, Duration requestTimeout, Duration eoseTimeout,
                            EventSigner signer, Backoff backoff, NoticeListener noticeListener,
                            boolean verifyEvents, int maxMessageChars, int dedupCapacity,
                            Duration pingInterval) {

    private static final System.Logger LOG = System.getLogger("nostr.core.client");

    public ClientOptions {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(eoseTimeout, "eoseTimeout");
        positive(pingInterval, "pingInterval");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(noticeListener, "noticeListener");
        if (maxMessageChars < 1024) {
            throw new IllegalArgumentException("maxMessageChars must be at least 1024, was " + maxMessageChars);
        }
        if (dedupCapacity < 1) {
            throw new IllegalArgumentException("dedupCapacity must be positive, was " + dedupCapacity);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /**
     * Connect in 10 s, 10 s for OK and COUNT answers and for a pool's EOSE, no signer,
     * {@link Backoff#defaults()}, notices logged at DEBUG, events verified, messages up to
     * 16 Mi characters, 10 000 remembered ids per subscription, a ping every 30 s.
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), null,
                Backoff.defaults(),
                (url, message) -> LOG.log(System.Logger.Level.DEBUG, "NOTICE from {0}: {1}", url, message),
                true, 16 * 1024 * 1024, 10_000, Duration.ofSeconds(30));
    }

    /** A copy with another connect timeout. */
    public ClientOptions withConnectTimeout(Duration v) {
        return new ClientOptions(v, requestTimeout, eoseTimeout, signer, backoff,
                noticeListener, verifyEvents, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy with another OK/COUNT timeout. */
    public ClientOptions withRequestTimeout(Duration v) {
        return new ClientOptions(connectTimeout, v, eoseTimeout, signer, backoff,
                noticeListener, verifyEvents, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy with another pool EOSE timeout. */
    public ClientOptions withEoseTimeout(Duration v) {
        return new ClientOptions(connectTimeout, requestTimeout, v, signer, backoff,
                noticeListener, verifyEvents, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy that answers AUTH challenges with {@code v} (null: do not answer). */
    public ClientOptions withSigner(EventSigner v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, v, backoff,
                noticeListener, verifyEvents, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy with another reconnection schedule. */
    public ClientOptions withBackoff(Backoff v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, signer, v,
                noticeListener, verifyEvents, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy that hands NOTICE messages to {@code v}. */
    public ClientOptions withNoticeListener(NoticeListener v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, signer, backoff,
                v, verifyEvents, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy that does (true) or does not verify received events. */
    public ClientOptions withVerifyEvents(boolean v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, signer, backoff,
                noticeListener, v, maxMessageChars, dedupCapacity, pingInterval);
    }

    /** A copy with another largest accepted message, in characters. */
    public ClientOptions withMaxMessageChars(int v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, signer, backoff,
                noticeListener, verifyEvents, v, dedupCapacity, pingInterval);
    }

    /** A copy with another number of remembered event ids per subscription. */
    public ClientOptions withDedupCapacity(int v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, signer, backoff,
                noticeListener, verifyEvents, maxMessageChars, v, pingInterval);
    }

    /** A copy with another keepalive ping interval. */
    public ClientOptions withPingInterval(Duration v) {
        return new ClientOptions(connectTimeout, requestTimeout, eoseTimeout, signer, backoff,
                noticeListener, verifyEvents, maxMessageChars, dedupCapacity, v);
    }
}
