package nostr.core.negentropy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;

/**
 * The negentropy conformance harness: the stdin/stdout line protocol the reference project's test
 * drivers speak to every implementation (one storage, one engine, one command per line), so this
 * implementation can be run against others and its messages compared byte for byte.
 *
 * <p>Commands: {@code item,<timestamp>,<idhex>} adds an item; {@code seal} sorts the items and builds
 * the engine; {@code initiate} makes this side the client and prints {@code msg,<hex>};
 * {@code msg,<hex>} feeds a peer message. The client answers a message with {@code have,<idhex>}
 * lines, then {@code need,<idhex>} lines, then {@code done} or {@code msg,<hex>}; the server always
 * answers with exactly one {@code msg,<hex>}. Blank lines are ignored. The environment variable
 * {@code FRAMESIZELIMIT} (bytes, default 0 = unlimited) is the engine's frame size limit, and an
 * emitted message longer than it is fatal. Anything unexpected is fatal: a message on stderr and
 * exit status 1.
 */
public final class ConformanceHarness {
    private final long frameSizeLimit;
    private NegentropyArrayStorage.Builder builder = NegentropyArrayStorage.builder();
    private Negentropy engine;

    /**
     * A harness whose engine gets {@code frameSizeLimit}.
     *
     * @throws IllegalArgumentException for a limit the engine refuses (1..4095, negative)
     */
    public ConformanceHarness(long frameSizeLimit) {
        this.frameSizeLimit = Negentropy.checkFrameSizeLimit(frameSizeLimit);
    }

    /**
     * Handles one input line and returns the lines to print (possibly none).
     *
     * @throws RuntimeException for anything the protocol treats as fatal; the message says what
     */
    public List<String> handle(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        String[] fields = trimmed.split(",", -1);
        return switch (fields[0]) {
            case "item" -> item(fields);
            case "seal" -> seal();
            case "initiate" -> initiate();
            case "msg" -> message(fields);
            default -> throw new IllegalArgumentException("unknown command: " + fields[0]);
        };
    }

    private List<String> item(String[] fields) {
        if (fields.length != 3) {
            throw new IllegalArgumentException("item needs 2 fields (timestamp,id), got " + (fields.length - 1));
        }
        if (builder == null) {
            throw new IllegalStateException("item after seal");
        }
        long timestamp;
        try {
            timestamp = Long.parseUnsignedLong(fields[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("item timestamp is not a decimal 64-bit unsigned integer: " + fields[1]);
        }
        builder.add(timestamp, fields[2]);
        return List.of();
    }

    private List<String> seal() {
        if (builder == null) {
            throw new IllegalStateException("already sealed");
        }
        engine = new Negentropy(builder.seal(), frameSizeLimit);
        builder = null;
        return List.of();
    }

    private List<String> initiate() {
        requireSealed("initiate");
        byte[] message = engine.initiate();
        checkFrameSize(message);
        return List.of("msg," + Hex.encode(message));
    }

    private List<String> message(String[] fields) {
        requireSealed("msg");
        if (fields.length > 2) {
            throw new IllegalArgumentException("msg takes one field (hex), got " + (fields.length - 1));
        }
        byte[] query = Hex.decode(fields.length == 2 ? fields[1] : "");
        if (!engine.isInitiator()) {
            byte[] reply = engine.reconcile(query);
            checkFrameSize(reply);
            return List.of("msg," + Hex.encode(reply));
        }
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        byte[] next = engine.reconcile(query, have, need);
        List<String> out = new ArrayList<>(have.size() + need.size() + 1);
        for (byte[] id : have) {
            out.add("have," + Hex.encode(id));
        }
        for (byte[] id : need) {
            out.add("need," + Hex.encode(id));
        }
        if (next == null) {
            out.add("done");
        } else {
            checkFrameSize(next);
            out.add("msg," + Hex.encode(next));
        }
        return out;
    }

    private void requireSealed(String command) {
        if (engine == null) {
            throw new IllegalStateException(command + " before seal");
        }
    }

    private void checkFrameSize(byte[] message) {
        if (frameSizeLimit != 0 && message.length > frameSizeLimit) {
            throw new IllegalStateException("frameSizeLimit exceeded: " + message.length + " > " + frameSizeLimit
                    + " from " + (engine.isInitiator() ? "initiator" : "non-initiator"));
        }
    }

    /** Runs the harness on stdin/stdout; exits 1 on a fatal error, 2 on a bad FRAMESIZELIMIT. */
    public static void main(String[] args) {
        String env = System.getenv("FRAMESIZELIMIT");
        ConformanceHarness harness;
        try {
            harness = new ConformanceHarness(env == null || env.isBlank() ? 0 : Long.parseLong(env.strip()));
        } catch (IllegalArgumentException e) {
            System.err.println("negentropy-harness: bad FRAMESIZELIMIT '" + env + "': " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), false);
        int lineNumber = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                List<String> lines = harness.handle(line);
                if (!lines.isEmpty()) {
                    for (String l : lines) {
                        out.print(l);
                        out.print('\n');
                    }
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            out.flush();
            System.err.println("negentropy-harness: line " + lineNumber + ": " + e.getMessage());
            System.exit(1);
        }
        out.flush();
    }
}
