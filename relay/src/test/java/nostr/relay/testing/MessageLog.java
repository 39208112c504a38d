package nostr.relay.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import nostr.core.message.RelayMessage;

/**
 * Every message a relay sent to one client, in arrival order, with waits on conditions (each
 * with a deadline: tests never sleep).
 */
public class MessageLog {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final List<String> messages = new ArrayList<>();
    private final List<RelayMessage> parsedMessages = new ArrayList<>();

    /** Records one message (from the transport's thread); a message core cannot parse fails the test later. */
    public void add(String message) {
        RelayMessage parsed;
        try {
            parsed = RelayMessage.parse(message);
        } catch (IllegalArgumentException e) {
            parsed = new RelayMessage.Notice("UNPARSEABLE RELAY MESSAGE: " + message + " (" + e.getMessage() + ")");
        }
        synchronized (messages) {
            messages.add(message);
            parsedMessages.add(parsed);
            messages.notifyAll();
        }
    }

    /** A copy of everything received so far. */
    public List<String> all() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Everything received so far, parsed. */
    public List<RelayMessage> parsed() {
        synchronized (messages) {
            return List.copyOf(parsedMessages);
        }
    }

    /** Waits until {@code condition} holds for the messages received so far; fails after {@link #WAIT}. */
    public void await(String what, Predicate<List<RelayMessage>> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (messages) {
            while (true) {
                if (condition.test(parsedMessages)) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; received " + messages.size()
                            + " messages: " + abbreviated(messages));
                }
                try {
                    // Short slices: conditions may also depend on state outside this log.
                    messages.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what);
                }
            }
        }
    }

    /** The messages, each cut to 200 characters, at most the last 30 (for failure messages). */
    private static String abbreviated(List<String> messages) {
        List<String> out = new ArrayList<>();
        for (String m : messages.subList(Math.max(0, messages.size() - 30), messages.size())) {
            out.add(m.length() > 200 ? m.substring(0, 200) + "...(" + m.length() + " chars)" : m);
        }
        return out.toString();
    }

    /** Waits until {@code condition} holds (checked every few milliseconds); fails after {@link #WAIT}. */
    public static void until(String what, java.util.function.BooleanSupplier condition) {
        new MessageLog().await(what, ms -> condition.getAsBoolean());
    }

    /** Waits for the first message matching and returns it. */
    public <T extends RelayMessage> T awaitFirst(String what, Class<T> type, Predicate<T> match) {
        List<T> found = new ArrayList<>();
        await(what, ms -> {
            for (RelayMessage m : ms) {
                if (type.isInstance(m) && match.test(type.cast(m))) {
                    found.add(type.cast(m));
                    return true;
                }
            }
            return false;
        });
        return found.getFirst();
    }

    /** Waits for the OK answering event {@code id}. */
    public RelayMessage.Ok awaitOk(String id) {
        return awaitFirst("OK for " + id, RelayMessage.Ok.class, ok -> ok.eventId().equals(id));
    }

    /** Waits for EOSE of {@code subId} and returns the ids of the events it got before it, in order. */
    public List<String> awaitEose(String subId) {
        await("EOSE for " + subId, ms -> {
            for (RelayMessage m : ms) {
                if (m instanceof RelayMessage.Eose e && e.subscriptionId().equals(subId)) {
                    return true;
                }
                if (m instanceof RelayMessage.Closed c && c.subscriptionId().equals(subId)) {
                    throw new AssertionError("subscription " + subId + " was CLOSED instead: " + c.message());
                }
            }
            return false;
        });
        List<String> ids = new ArrayList<>();
        for (RelayMessage m : parsed()) {
            if (m instanceof RelayMessage.Eose e && e.subscriptionId().equals(subId)) {
                break;
            }
            if (m instanceof RelayMessage.EventMsg ev && ev.subscriptionId().equals(subId)) {
                ids.add(ev.event().id());
            }
        }
        return ids;
    }

    /** Waits for CLOSED of {@code subId} and returns its message. */
    public String awaitClosed(String subId) {
        return awaitFirst("CLOSED for " + subId, RelayMessage.Closed.class, c -> c.subscriptionId().equals(subId)).message();
    }

    /** Waits for a NOTICE containing {@code text}. */
    public String awaitNotice(String text) {
        return awaitFirst("NOTICE containing '" + text + "'", RelayMessage.Notice.class, n -> n.message().contains(text)).message();
    }

    /** Waits until {@code subId} received event {@code eventId}. */
    public void awaitEvent(String subId, String eventId) {
        awaitFirst("EVENT " + eventId + " on " + subId, RelayMessage.EventMsg.class,
                e -> e.subscriptionId().equals(subId) && e.event().id().equals(eventId));
    }

    /** Ids of every EVENT received on {@code subId}, in order. */
    public List<String> eventIds(String subId) {
        return parsed().stream()
                .filter(m -> m instanceof RelayMessage.EventMsg e && e.subscriptionId().equals(subId))
                .map(m -> ((RelayMessage.EventMsg) m).event().id()).toList();
    }

    /** Raw texts of the EVENT messages received on {@code subId}. */
    public List<String> rawEvents(String subId) {
        synchronized (messages) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                if (parsedMessages.get(i) instanceof RelayMessage.EventMsg e && e.subscriptionId().equals(subId)) {
                    out.add(messages.get(i));
                }
            }
            return out;
        }
    }

    /** How many messages of this kind for this subscription (EOSE, CLOSED) were received. */
    public long count(Predicate<RelayMessage> p) {
        return parsed().stream().filter(p).count();
    }
}
