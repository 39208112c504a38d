package nostr.relay.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nostr.relay.connection.Transport;

/**
 * A transport that records what a connection sends: the "embedded channel" of the unit tests.
 * In stalled mode it keeps messages without confirming them, like a client that stopped reading.
 */
public final class RecordingTransport extends MessageLog implements Transport {
    private volatile boolean stalled;
    private final List<Runnable> unconfirmed = new ArrayList<>();
    private volatile int closeCode;
    private volatile String closeReason;

    @Override
    public void send(List<byte[]> messages, Runnable done) {
        for (byte[] m : messages) {
            add(new String(m, StandardCharsets.UTF_8));
        }
        if (stalled) {
            synchronized (unconfirmed) {
                unconfirmed.add(done);
            }
        } else {
            done.run();
        }
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    /** Stops confirming writes (the client stopped reading). */
    public void stall() {
        stalled = true;
    }

    /** Confirms every write held back and confirms later ones at once again. */
    public void resume() {
        stalled = false;
        List<Runnable> held;
        synchronized (unconfirmed) {
            held = new ArrayList<>(unconfirmed);
            unconfirmed.clear();
        }
        held.forEach(Runnable::run);
    }

    /** 0 while open, else the close code the connection asked for. */
    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }
}
