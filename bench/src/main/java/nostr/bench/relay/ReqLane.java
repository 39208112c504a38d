package nostr.bench.relay;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connection issuing REQs one after another: send {@code REQ}, count the subscription's
 * EVENTs, stop the clock at its EOSE (or CLOSED), then {@code CLOSE} it (the CLOSE leaves with
 * the next REQ, untimed). Only messages of the current subscription are counted, matched by
 * their compact prefix, so nothing is parsed.
 */
final class ReqLane implements WebSocketConnection.Listener, AutoCloseable {
    private static final byte[] CLOSE_OPEN = "[\"CLOSE\",\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_END = "\"]".getBytes(StandardCharsets.US_ASCII);

    /** The answer to one REQ: EVENTs before EOSE, the CLOSED or NOTICE text if the relay refused, and the arrival time. */
    record Reply(int events, String refusal, long nanos) {}

    private final WebSocketConnection connection;
    private final ArrayBlockingQueue<Reply> replies = new ArrayBlockingQueue<>(8);
    private final String name;
    private volatile byte[] eventPrefix = new byte[] {0};
    private volatile byte[] eosePrefix = new byte[] {0};
    private volatile byte[] closedPrefix = new byte[] {0};
    private int events;     // reader thread only
    private long counter;

    private ReqLane(URI url, String name, int timeoutMillis) throws IOException {
        this.name = name;
        this.connection = WebSocketConnection.open(url, this, 64 * 1024, timeoutMillis);
    }

    static ReqLane open(URI url, String name, Duration timeout) throws IOException {
        return new ReqLane(url, name, (int) Math.min(30_000, timeout.toMillis()));
    }

    /**
     * Sends {@code ["REQ",<sub>,<filter>]} and waits for its end.
     *
     * @return the reply, with {@code nanos} replaced by the round trip time
     * @throws IOException when the connection fails or nothing came back in time
     */
    Reply roundTrip(String filterJson, Duration timeout) throws IOException, InterruptedException {
        String sub = name + "." + (++counter);
        eventPrefix = RelayReplies.prefix("EVENT", sub);
        eosePrefix = ("[\"EOSE\",\"" + sub + "\"]").getBytes(StandardCharsets.UTF_8);
        closedPrefix = RelayReplies.prefix("CLOSED", sub);
        byte[] req = ("[\"REQ\",\"" + sub + "\"," + filterJson + "]").getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        connection.sendTextNow(req);
        Reply r = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (r == null) {
            throw new IOException("no EOSE for " + sub + " within " + timeout.toMillis() + " ms");
        }
        if (r.events() < 0) {
            throw new IOException("connection " + name + " ended: " + r.refusal());
        }
        connection.sendText(CLOSE_OPEN, sub.getBytes(StandardCharsets.UTF_8), CLOSE_END);
        return new Reply(r.events(), r.refusal(), r.nanos() - t0);
    }

    @Override
    public void onText(WebSocketConnection c, byte[] b, int len) {
        if (RelayReplies.startsWith(b, len, eventPrefix, 0)) {
            events++;
        } else if (RelayReplies.startsWith(b, len, eosePrefix, 0)) {
            long now = System.nanoTime();
            replies.offer(new Reply(events, null, now));
            events = 0;
        } else if (RelayReplies.startsWith(b, len, closedPrefix, 0)) {
            long now = System.nanoTime();
            replies.offer(new Reply(events, RelayReplies.text(b, len), now));
            events = 0;
        } else if (RelayReplies.verb(b, len) == RelayReplies.Verb.NOTICE) {
            replies.offer(new Reply(events, RelayReplies.text(b, len), System.nanoTime()));
            events = 0;
        }
    }

    @Override
    public void onClosed(WebSocketConnection c, int code, String reason, Throwable error) {
        replies.offer(new Reply(-1, error != null ? error.toString() : "close " + code + " " + reason, System.nanoTime()));
    }

    @Override
    public void close() {
        try {
            connection.flush();
        } catch (IOException e) {
            // Closing anyway.
        }
        connection.close(2000);
    }
}
