package nostr.core.negentropy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plays the reference project's fuzz driver (test/fuzz.pl) between two harnesses: loads the item
 * sets, seals both, makes side 1 the client, relays messages until the client says {@code done},
 * and records the message trace (the "DELTATRACE" of the delta test) and what was learned.
 */
final class ReconcileDriver {
    private static final int MAX_ROUNDS = 10_000;

    /** What a run produced. */
    record Run(List<String> trace, List<String> haves, List<String> needs, int rounds, long bytesUp, long bytesDown,
            Set<String> finalSet1, Set<String> finalSet2) {}

    private ReconcileDriver() {}

    /**
     * Runs one reconciliation: {@code client} holds side 1, {@code server} side 2. Checks every
     * message against its sender's frame size limit (0 = none) and fails on any protocol violation.
     */
    static Run run(HarnessPeer client, HarnessPeer server, ItemSets sets, long clientLimit, long serverLimit) {
        Set<String> ids1 = new HashSet<>();
        Set<String> ids2 = new HashSet<>();
        for (ItemSets.Item item : sets.side1()) {
            client.send(item.line());
            ids1.add(item.id());
        }
        for (ItemSets.Item item : sets.side2()) {
            server.send(item.line());
            ids2.add(item.id());
        }
        client.send("seal");
        server.send("seal");
        client.send("initiate");

        List<String> trace = new ArrayList<>();
        List<String> haves = new ArrayList<>();
        List<String> needs = new ArrayList<>();
        long up = 0;
        long down = 0;
        int rounds = 0;
        while (true) {
            String line = client.readLine();
            if (line.startsWith("have,")) {
                String id = line.substring(5);
                haves.add(id);
                ids2.add(id);
                continue;
            }
            if (line.startsWith("need,")) {
                String id = line.substring(5);
                needs.add(id);
                ids1.add(id);
                continue;
            }
            if (line.equals("done")) {
                break;
            }
            String msg = message(client, line);
            checkLimit(client, msg, clientLimit);
            trace.add("1 " + msg);
            up += msg.length() / 2;
            server.send("msg," + msg);

            String reply = message(server, server.readLine());
            checkLimit(server, reply, serverLimit);
            trace.add("2 " + reply);
            down += reply.length() / 2;
            client.send("msg," + reply);
            if (++rounds > MAX_ROUNDS) {
                throw new AssertionError("no convergence after " + MAX_ROUNDS + " rounds");
            }
        }
        return new Run(trace, haves, needs, rounds, up, down, ids1, ids2);
    }

    private static String message(HarnessPeer peer, String line) {
        if (!line.startsWith("msg,")) {
            throw new AssertionError("unexpected line from " + peer.name() + ": " + line);
        }
        return line.substring(4);
    }

    private static void checkLimit(HarnessPeer peer, String hex, long limit) {
        if (limit != 0 && hex.length() / 2 > limit) {
            throw new AssertionError(peer.name() + " sent " + hex.length() / 2 + " bytes, over its frame size limit " + limit);
        }
    }
}
