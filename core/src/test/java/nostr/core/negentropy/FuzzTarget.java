package nostr.core.negentropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nostr.core.Hex;

/**
 * Plays one (possibly malformed) message against a fresh engine and checks what must hold for any
 * input: the engine answers or throws {@link NegentropyException} (anything else propagates to the
 * caller as a finding), an answer respects the frame size limit and is itself a well-formed
 * message, and the engine answers the next valid message exactly as a fresh one would.
 */
final class FuzzTarget {
    private static final byte[] FULL_RANGE_QUERY = Hex.decode("6100000200");

    /** Accepted, or rejected with the reason. */
    record Outcome(boolean accepted, String reason) {}

    private FuzzTarget() {}

    static Outcome play(byte[] message, NegentropyStorage storage, boolean asClient, long limit) {
        Negentropy engine = new Negentropy(storage, limit);
        if (asClient) {
            engine.initiate();
        }
        byte[] out;
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        try {
            out = asClient ? engine.reconcile(message, have, need) : engine.reconcile(message);
        } catch (NegentropyException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("rejection without a reason for " + Hex.encode(message), e);
            }
            if (!asClient) {
                checkStillUsable(engine, storage, limit, message);
            }
            return new Outcome(false, e.getMessage());
        }
        if (out != null) {
            if (out.length == 0 || (out[0] & 0xff) != Negentropy.PROTOCOL_VERSION) {
                throw new AssertionError("reply does not start with 0x61 for " + Hex.encode(message));
            }
            if (limit != 0 && out.length > limit) {
                throw new AssertionError("reply of " + out.length + " bytes over the frame size limit " + limit
                        + " for " + Hex.encode(message));
            }
            // Whatever we emit, the other role must be able to parse.
            if (asClient) {
                new Negentropy(storage, limit).reconcile(out);
            } else if (out.length > 1) {
                Negentropy peer = new Negentropy(storage, limit);
                peer.initiate();
                peer.reconcile(out, new ArrayList<>(), new ArrayList<>());
            }
        } else if (!asClient) {
            throw new AssertionError("server reply is null for " + Hex.encode(message));
        }
        if (!asClient) {
            checkStillUsable(engine, storage, limit, message);
        }
        return new Outcome(true, null);
    }

    private static void checkStillUsable(Negentropy engine, NegentropyStorage storage, long limit, byte[] message) {
        byte[] expected = new Negentropy(storage, limit).reconcile(FULL_RANGE_QUERY);
        byte[] actual = engine.reconcile(FULL_RANGE_QUERY);
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError("engine answers differently after " + Hex.encode(message));
        }
    }

    /** A rejection reason with numbers and hex removed, to count reasons by kind. */
    static String kind(String reason) {
        return reason.replaceAll("Bound\\([^)]*\\)", "Bound(..)").replaceAll("0x[0-9a-f]+", "N").replaceAll("[0-9]+", "N");
    }
}
