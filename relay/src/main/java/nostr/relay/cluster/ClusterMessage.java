package nostr.relay.cluster;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;

/**
 * What nodes of one cluster say to each other over NATS, and how it is put into NATS messages.
 *
 * <p>Subjects: {@code parrhesia.<cluster_name>.events} (events the origin stored, each with its
 * commit journal number), {@code .ephemeral} (ephemeral events, never stored, not numbered) and
 * {@code .control} (a node changed moderation lists, NIP-86 settings, or blocked an address) and
 * {@code .removed} (events a node's transactions removed: deleted, replaced, vanished, banned,
 * purged; for the other nodes' negentropy indexes; body: one {@code <created_at> <id>} per line). The
 * body of an event message is the event's raw JSON exactly as its author sent it (any NATS client
 * can read it); the rest is in headers: {@code Parrhesia-Origin} (the sender's {@code node_id}),
 * {@code Parrhesia-Seq} (journal number), {@code Parrhesia-Committed} (sender's wall clock, ms,
 * for the lag metric), {@code Parrhesia-Change} and {@code Parrhesia-Ip} (control).
 */
sealed interface ClusterMessage {
    String ORIGIN = "Parrhesia-Origin";
    String SEQ = "Parrhesia-Seq";
    String COMMITTED = "Parrhesia-Committed";
    String CHANGE = "Parrhesia-Change";
    String IP = "Parrhesia-Ip";

    /** The node that sent it. */
    String origin();

    /** An event the origin stored, its {@code seq}-th. */
    record Stored(String origin, long seq, long committedMillis, String json) implements ClusterMessage {}

    /** An ephemeral event the origin accepted. */
    record Ephemeral(String origin, String json) implements ClusterMessage {}

    /** A change other nodes should pick up at once rather than at their next reload. */
    record Control(String origin, Change change, String ip) implements ClusterMessage {}

    /** Events the origin's transactions removed. */
    record Removed(String origin, List<RemovedEvent> items) implements ClusterMessage {}

    /** What a control message says changed. */
    enum Change {
        /** Bans, allowlists, allowed kinds, blocked addresses or NIP-43 members (reload them). */
        MODERATION("moderation"),
        /** NIP-86 relay name, description or icon (reload NIP-11). */
        SETTINGS("settings"),
        /** An address was blocked: reload, and close its open connections. */
        IP_BLOCKED("ip_blocked");

        private final String wire;

        Change(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }

        static Change parse(String s) {
            for (Change c : values()) {
                if (c.wire.equals(s)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** The subjects of one cluster. */
    record Subjects(String events, String ephemeral, String control, String removed) {
        static Subjects of(String clusterName) {
            String base = "parrhesia." + clusterName + ".";
            return new Subjects(base + "events", base + "ephemeral", base + "control", base + "removed");
        }
    }

    static Headers headers(Stored m) {
        return new Headers().put(ORIGIN, m.origin()).put(SEQ, Long.toString(m.seq()))
                .put(COMMITTED, Long.toString(m.committedMillis()));
    }

    static Headers headers(Ephemeral m) {
        return new Headers().put(ORIGIN, m.origin());
    }

    static Headers headers(Control m) {
        Headers h = new Headers().put(ORIGIN, m.origin()).put(CHANGE, m.change().wire());
        if (m.ip() != null) {
            h.put(IP, m.ip());
        }
        return h;
    }

    static Headers headers(Removed m) {
        return new Headers().put(ORIGIN, m.origin());
    }

    static String body(Removed m) {
        StringBuilder sb = new StringBuilder(m.items().size() * 76);
        for (RemovedEvent i : m.items()) {
            sb.append(i.createdAt()).append(' ').append(i.id()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads a message of one of the cluster's subjects.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static ClusterMessage parse(Subjects subjects, Message msg) {
        Headers h = msg.getHeaders();
        String origin = h == null ? null : h.getFirst(ORIGIN);
        if (origin == null || origin.isEmpty()) {
            throw new IllegalArgumentException("no " + ORIGIN + " header");
        }
        String subject = msg.getSubject();
        if (subject.equals(subjects.events())) {
            long seq = number(h, SEQ);
            if (seq < 1) {
                throw new IllegalArgumentException(SEQ + " must be at least 1, got " + seq);
            }
            String committed = h.getFirst(COMMITTED);
            return new Stored(origin, seq, committed == null ? 0 : number(h, COMMITTED), body(msg));
        }
        if (subject.equals(subjects.ephemeral())) {
            return new Ephemeral(origin, body(msg));
        }
        if (subject.equals(subjects.control())) {
            Change c = Change.parse(h.getFirst(CHANGE));
            if (c == null) {
                throw new IllegalArgumentException("unknown " + CHANGE + " '" + h.getFirst(CHANGE) + "'");
            }
            return new Control(origin, c, h.getFirst(IP));
        }
        if (subject.equals(subjects.removed())) {
            List<RemovedEvent> items = new ArrayList<>();
            for (String line : body(msg).split("\n")) {
                int sp = line.indexOf(' ');
                if (sp <= 0 || !Hex.isLowerHex(line.substring(sp + 1), 64)) {
                    throw new IllegalArgumentException("not '<created_at> <id>': '" + line + "'");
                }
                try {
                    items.add(new RemovedEvent(Long.parseLong(line.substring(0, sp)), line.substring(sp + 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not '<created_at> <id>': '" + line + "'");
                }
            }
            return new Removed(origin, items);
        }
        throw new IllegalArgumentException("unexpected subject " + subject);
    }

    private static long number(Headers h, String name) {
        String v = h.getFirst(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + v + "'");
        }
    }

    private static String body(Message msg) {
        byte[] data = msg.getData();
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("empty body");
        }
        return new String(data, StandardCharsets.UTF_8);
    }
}
