package nostr.core.negentropy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import nostr.core.Hex;

/**
 * One side of a negentropy set reconciliation (protocol v1, the binary protocol NIP-77 wraps in
 * hex): range-based set reconciliation over the sorted items of a {@link NegentropyStorage}.
 *
 * <p>The client (initiator) calls {@link #initiate()} and sends the result; for each reply it calls
 * {@link #reconcile(byte[], List, List)}, which reports the ids only it has and the ids only the
 * server has, and returns the next message, or {@code null} when the sets are reconciled. The server
 * answers each client message with {@link #reconcile(byte[])}. The {@code String} overloads take and
 * return the lowercase hex of NIP-77's {@code NEG-OPEN}/{@code NEG-MSG}.
 *
 * <p>Output is byte-for-byte what the reference implementation (hoytech/negentropy) produces for
 * the same items and frame size limit: the same 16-bucket splitting, id lists below 32 items,
 * minimal bounds, and the same way of stopping a message near the frame size limit (once the
 * output passes {@code limit - 200} bytes the rest of the space is sent as one fingerprint, to be
 * split in a later round). Determinism is part of conformance.
 *
 * <p>Every malformed input fails with a {@link NegentropyException}; parsing is linear in the
 * message, allocation is bounded by the message and the frame size limit, and the engine keeps no
 * state from a failed message. A server must set a frame size limit: without one, a reply may be
 * many times larger than the query (up to 16 fingerprints per queried range, or every id of the set).
 * An unknown future protocol version gets the one-byte reply {@code 0x61} ("I speak v1") from a
 * server, so the client can retry in v1.
 *
 * <p>Not thread-safe: one instance per reconciliation session.
 */
public final class Negentropy {
    /** The protocol version byte this engine speaks: v1. */
    public static final int PROTOCOL_VERSION = 0x61;
    /** The smallest non-zero frame size limit (as in the reference implementation). */
    public static final long MIN_FRAME_SIZE_LIMIT = 4096;

    static final int ID_SIZE = 32;
    static final int FINGERPRINT_SIZE = 16;
    private static final int BUCKETS = 16;
    private static final int FRAME_SIZE_MARGIN = 200;
    private static final int MODE_SKIP = 0;
    private static final int MODE_FINGERPRINT = 1;
    private static final int MODE_ID_LIST = 2;

    private final NegentropyStorage storage;
    private final long frameSizeLimit;
    private boolean initiator;
    private long lastTimestampIn;
    private long lastTimestampOut;

    /**
     * An engine over {@code storage}.
     *
     * @param frameSizeLimit the largest message this side emits, in bytes; 0 for no limit, otherwise
     *     at least {@value #MIN_FRAME_SIZE_LIMIT}
     * @throws IllegalArgumentException for a limit between 1 and 4095 or negative
     */
    public Negentropy(NegentropyStorage storage, long frameSizeLimit) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.frameSizeLimit = checkFrameSizeLimit(frameSizeLimit);
    }

    /**
     * Returns {@code frameSizeLimit} when it is valid: 0 (unlimited) or at least {@value #MIN_FRAME_SIZE_LIMIT}.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static long checkFrameSizeLimit(long frameSizeLimit) {
        if (frameSizeLimit != 0 && frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("frameSizeLimit must be 0 (unlimited) or at least "
                    + MIN_FRAME_SIZE_LIMIT + ", was " + frameSizeLimit);
        }
        return frameSizeLimit;
    }

    /** An engine over {@code storage} without a frame size limit (fine for clients; servers should set one). */
    public Negentropy(NegentropyStorage storage) {
        this(storage, 0);
    }

    /** The frame size limit (0 when unlimited). */
    public long frameSizeLimit() {
        return frameSizeLimit;
    }

    /** True once {@link #initiate} was called: this side is the client. */
    public boolean isInitiator() {
        return initiator;
    }

    /**
     * Makes this side the client and returns its first message: fingerprints of 16 buckets of the
     * whole set, or the whole id list when it holds fewer than 32 items.
     *
     * @throws IllegalStateException when called twice
     */
    public byte[] initiate() {
        if (initiator) {
            throw new IllegalStateException("negentropy session already initiated");
        }
        initiator = true;
        lastTimestampOut = 0;
        MessageWriter out = new MessageWriter();
        out.writeByte(PROTOCOL_VERSION);
        splitRange(0, storage.size(), Bound.INFINITY, out);
        return out.toByteArray();
    }

    /** {@link #initiate()} as lowercase hex, the form of NIP-77's {@code NEG-OPEN}. */
    public String initiateHex() {
        return Hex.encode(initiate());
    }

    /**
     * Server side: answers a client message. The reply is never null; a reply of the single byte
     * {@code 0x61} tells the client there is nothing left to reconcile, or, for a query in an
     * unknown future version, that this side speaks v1.
     *
     * @throws NegentropyException for a malformed message
     * @throws IllegalStateException when this side is the initiator
     */
    public byte[] reconcile(byte[] query) {
        if (initiator) {
            throw new IllegalStateException("the initiator must collect have/need ids: call reconcile(query, haveIds, needIds)");
        }
        return reconcileMessage(query, null, null);
    }

    /** {@link #reconcile(byte[])} on a hex message, returning hex ({@code NEG-MSG} content). */
    public String reconcile(String queryHex) {
        return Hex.encode(reconcile(decodeHex(queryHex)));
    }

    /**
     * Client side: processes a server reply. Appends to {@code haveIds} each id this side has and
     * the server lacks (in storage order), and to {@code needIds} each id the server has and this
     * side lacks (in the order the server listed them), as 32-byte arrays.
     *
     * @return the next message to send, or {@code null} when reconciliation is complete
     * @throws NegentropyException for a malformed message or an unsupported protocol version
     * @throws IllegalStateException when {@link #initiate} was not called
     */
    public byte[] reconcile(byte[] query, List<byte[]> haveIds, List<byte[]> needIds) {
        if (!initiator) {
            throw new IllegalStateException("only the initiator collects have/need ids: call initiate() first");
        }
        Objects.requireNonNull(haveIds, "haveIds");
        Objects.requireNonNull(needIds, "needIds");
        byte[] out = reconcileMessage(query, haveIds, needIds);
        return out.length == 1 ? null : out;
    }

    /**
     * {@link #reconcile(byte[], List, List)} on hex: ids are appended as lowercase hex and the next
     * message is returned as hex, or {@code null} when done.
     */
    public String reconcile(String queryHex, List<String> haveIds, List<String> needIds) {
        Objects.requireNonNull(haveIds, "haveIds");
        Objects.requireNonNull(needIds, "needIds");
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        byte[] next = reconcile(decodeHex(queryHex), have, need);
        for (byte[] id : have) {
            haveIds.add(Hex.encode(id));
        }
        for (byte[] id : need) {
            needIds.add(Hex.encode(id));
        }
        return next == null ? null : Hex.encode(next);
    }

    private static byte[] decodeHex(String hex) {
        Objects.requireNonNull(hex, "message");
        try {
            return Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            throw new NegentropyException("message is not lowercase hex: " + e.getMessage());
        }
    }

    // The reconciliation proper, shared by both roles (the reference's reconcileAux).
    private byte[] reconcileMessage(byte[] query, List<byte[]> haveIds, List<byte[]> needIds) {
        Objects.requireNonNull(query, "message");
        lastTimestampIn = 0;
        lastTimestampOut = 0;
        MessageWriter full = new MessageWriter();
        full.writeByte(PROTOCOL_VERSION);

        MessageReader in = new MessageReader(query);
        if (in.remaining() == 0) {
            throw new NegentropyException("empty message: expected the protocol version byte");
        }
        int version = in.readByte("the protocol version");
        if (version < 0x60 || version > 0x6f) {
            throw new NegentropyException(String.format("invalid protocol version byte 0x%02x (expected 0x60..0x6f)", version));
        }
        if (version != PROTOCOL_VERSION) {
            if (initiator) {
                throw new NegentropyException("unsupported protocol version " + (version - 0x60) + " (this side speaks 1)");
            }
            return full.toByteArray();
        }

        int size = storage.size();
        Bound prevBound = Bound.ZERO;
        int prevIndex = 0;
        boolean skip = false;
        MessageWriter o = new MessageWriter();

        while (in.remaining() > 0) {
            o.reset();
            int boundAt = in.position();
            Bound currBound = decodeBound(in);
            if (currBound.compareTo(prevBound) < 0) {
                throw new NegentropyException("range bound at byte " + boundAt + " (" + currBound
                        + ") is below the previous bound (" + prevBound + "): bounds must ascend");
            }
            int modeAt = in.position();
            long mode = in.readVarint("a range mode");

            int lower = prevIndex;
            int upper = storage.findLowerBound(prevIndex, size, currBound);
            if (upper < lower || upper > size) {
                throw new IllegalStateException("storage findLowerBound returned " + upper + " outside [" + lower + ", " + size + "]");
            }

            if (mode == MODE_SKIP) {
                skip = true;
            } else if (mode == MODE_FINGERPRINT) {
                int theirs = in.skip(FINGERPRINT_SIZE, "a fingerprint");
                byte[] ours = storage.fingerprint(lower, upper);
                if (!Arrays.equals(query, theirs, theirs + FINGERPRINT_SIZE, ours, 0, FINGERPRINT_SIZE)) {
                    if (skip) {
                        skip = false;
                        encodeBound(o, prevBound);
                        o.writeVarint(MODE_SKIP);
                    }
                    splitRange(lower, upper, currBound, o);
                } else {
                    skip = true;
                }
            } else if (mode == MODE_ID_LIST) {
                int countAt = in.position();
                long count = in.readVarint("an id list length");
                if (Long.compareUnsigned(count, in.remaining() / ID_SIZE) > 0) {
                    throw new NegentropyException("id list at byte " + countAt + " claims " + Long.toUnsignedString(count)
                            + " ids but only " + in.remaining() + " bytes remain");
                }
                int idsAt = in.skip(count * ID_SIZE, "an id list");
                if (initiator) {
                    skip = true;
                    compareIds(query, idsAt, (int) count, lower, upper, haveIds, needIds);
                } else {
                    if (skip) {
                        skip = false;
                        encodeBound(o, prevBound);
                        o.writeVarint(MODE_SKIP);
                    }
                    // Reply with our ids of the range, stopping near the frame size limit.
                    int sent = 0;
                    Bound endBound = currBound;
                    for (int i = lower; i < upper; i++) {
                        if (exceedsFrameSizeLimit((long) full.size() + (long) sent * ID_SIZE)) {
                            endBound = itemBound(i);
                            upper = i;
                            break;
                        }
                        sent++;
                    }
                    encodeBound(o, endBound);
                    o.writeVarint(MODE_ID_LIST);
                    o.writeVarint(sent);
                    for (int i = lower; i < lower + sent; i++) {
                        int at = o.claim(ID_SIZE); // claim first: it may replace the array
                        storage.copyId(i, o.array(), at);
                    }
                    full.write(o);
                    o.reset();
                }
            } else {
                throw new NegentropyException("unknown range mode " + Long.toUnsignedString(mode) + " at byte " + modeAt
                        + " (expected 0 skip, 1 fingerprint or 2 id list)");
            }

            if (exceedsFrameSizeLimit((long) full.size() + o.size())) {
                // Stop here: one fingerprint for the rest of the space, split in a later round.
                byte[] remaining = storage.fingerprint(upper, size);
                encodeBound(full, Bound.INFINITY);
                full.writeVarint(MODE_FINGERPRINT);
                full.write(remaining);
                break;
            }
            full.write(o);
            prevIndex = upper;
            prevBound = currBound;
        }
        return full.toByteArray();
    }

    // Initiator, id list received: ours in [lower, upper) not theirs -> have; theirs not ours -> need.
    private void compareIds(byte[] query, int idsAt, int count, int lower, int upper, List<byte[]> haveIds, List<byte[]> needIds) {
        LinkedHashSet<IdKey> theirs = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            theirs.add(IdKey.of(query, idsAt + i * ID_SIZE));
        }
        byte[] id = new byte[ID_SIZE];
        for (int i = lower; i < upper; i++) {
            storage.copyId(i, id, 0);
            if (!theirs.remove(IdKey.of(id, 0))) {
                haveIds.add(id.clone());
            }
        }
        for (IdKey k : theirs) {
            needIds.add(k.toBytes());
        }
    }

    // Describes [lower, upper) up to upperBound: the ids when fewer than 32, else 16 fingerprints.
    private void splitRange(int lower, int upper, Bound upperBound, MessageWriter o) {
        int count = upper - lower;
        if (count < BUCKETS * 2) {
            encodeBound(o, upperBound);
            o.writeVarint(MODE_ID_LIST);
            o.writeVarint(count);
            for (int i = lower; i < upper; i++) {
                int at = o.claim(ID_SIZE);
                storage.copyId(i, o.array(), at);
            }
            return;
        }
        int perBucket = count / BUCKETS;
        int withExtra = count % BUCKETS;
        int curr = lower;
        for (int i = 0; i < BUCKETS; i++) {
            int bucketSize = perBucket + (i < withExtra ? 1 : 0);
            byte[] fingerprint = storage.fingerprint(curr, curr + bucketSize);
            curr += bucketSize;
            Bound next = curr == upper ? upperBound : minimalBound(curr - 1, curr);
            encodeBound(o, next);
            o.writeVarint(MODE_FINGERPRINT);
            o.write(fingerprint);
        }
    }

    // The shortest bound above item prev and at most item curr.
    private Bound minimalBound(int prev, int curr) {
        long prevTs = storage.timestamp(prev);
        long currTs = storage.timestamp(curr);
        if (prevTs != currTs) {
            return Bound.of(currTs);
        }
        byte[] prevId = new byte[ID_SIZE];
        byte[] currId = new byte[ID_SIZE];
        storage.copyId(prev, prevId, 0);
        storage.copyId(curr, currId, 0);
        int shared = Arrays.mismatch(prevId, currId);
        int length = shared < 0 ? ID_SIZE : Math.min(shared + 1, ID_SIZE);
        return Bound.wrap(currTs, Arrays.copyOf(currId, length));
    }

    private Bound itemBound(int index) {
        byte[] id = new byte[ID_SIZE];
        storage.copyId(index, id, 0);
        return Bound.ofItem(storage.timestamp(index), id);
    }

    private boolean exceedsFrameSizeLimit(long n) {
        return frameSizeLimit != 0 && n > frameSizeLimit - FRAME_SIZE_MARGIN;
    }

    private Bound decodeBound(MessageReader in) {
        long encoded = in.readVarint("a bound timestamp");
        long timestamp = encoded == 0 ? Bound.INFINITY_TIMESTAMP : encoded - 1;
        timestamp += lastTimestampIn;
        if (Long.compareUnsigned(timestamp, lastTimestampIn) < 0) {
            timestamp = Bound.INFINITY_TIMESTAMP; // saturate, as the reference does
        }
        lastTimestampIn = timestamp;
        int lengthAt = in.position();
        long length = in.readVarint("a bound id prefix length");
        if (Long.compareUnsigned(length, ID_SIZE) > 0) {
            throw new NegentropyException("bound id prefix length " + Long.toUnsignedString(length) + " at byte " + lengthAt
                    + " exceeds 32");
        }
        return Bound.wrap(timestamp, in.readBytes((int) length, "a bound id prefix"));
    }

    private void encodeBound(MessageWriter out, Bound bound) {
        long timestamp = bound.timestamp();
        if (timestamp == Bound.INFINITY_TIMESTAMP) {
            lastTimestampOut = Bound.INFINITY_TIMESTAMP;
            out.writeVarint(0);
        } else {
            long delta = timestamp - lastTimestampOut;
            lastTimestampOut = timestamp;
            out.writeVarint(delta + 1);
        }
        byte[] prefix = bound.prefixArray();
        out.writeVarint(prefix.length);
        out.write(prefix);
    }

    /** A 32-byte id as a hashable value, for set comparison of id lists. */
    private record IdKey(long a, long b, long c, long d) {
        private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        static IdKey of(byte[] bytes, int offset) {
            return new IdKey((long) BE_LONG.get(bytes, offset), (long) BE_LONG.get(bytes, offset + 8),
                    (long) BE_LONG.get(bytes, offset + 16), (long) BE_LONG.get(bytes, offset + 24));
        }

        byte[] toBytes() {
            byte[] out = new byte[ID_SIZE];
            BE_LONG.set(out, 0, a);
            BE_LONG.set(out, 8, b);
            BE_LONG.set(out, 16, c);
            BE_LONG.set(out, 24, d);
            return out;
        }
    }
}
