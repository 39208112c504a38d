package nostr.core.nip13;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.Hex;
import nostr.core.event.Canonical;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;

/**
 * NIP-13 proof of work: the difficulty of an id (its leading zero bits), the target an event
 * commits to in its {@code ["nonce", <n>, <target>]} tag, and mining such a tag.
 *
 * <p>Mining puts the nonce tag last, so the canonical serialization is a fixed prefix, the nonce's
 * decimal digits, and a fixed suffix. Each worker hashes the prefix once and, per attempt, clones
 * that SHA-256 state and feeds it only the digits and the suffix; workers take interleaved nonces
 * (worker i tries i, i+threads, i+2*threads, ...). {@code created_at} is kept as given.
 */
public final class Pow {
    /** The tag name NIP-13 uses. */
    public static final String NONCE_TAG = "nonce";
    /** The largest possible difficulty (all 256 bits zero). */
    public static final int MAX_DIFFICULTY = 256;

    private Pow() {}

    /**
     * Leading zero bits of a 64-character lowercase hex id.
     *
     * @throws IllegalArgumentException if {@code idHex} is not 64 lowercase hex characters
     */
    public static int difficulty(String idHex) {
        return difficulty(Hex.decode(idHex, 32, "event id"));
    }

    /** Leading zero bits of a 32-byte id. */
    public static int difficulty(byte[] id) {
        int bits = 0;
        for (byte b : id) {
            if (b == 0) {
                bits += 8;
            } else {
                return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
            }
        }
        return bits;
    }

    /**
     * The target difficulty the event commits to: the third element of its first {@code nonce} tag
     * as a decimal integer, or -1 when there is no nonce tag, no third element, or it is not a
     * number from 0 to 256.
     */
    public static int committedTarget(Event e) {
        for (List<String> t : e.tags()) {
            if (!t.isEmpty() && t.get(0).equals(NONCE_TAG)) {
                if (t.size() < 3) {
                    return -1;
                }
                String v = t.get(2);
                if (v.isEmpty() || v.length() > 3 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return -1;
                }
                int target = Integer.parseInt(v);
                return target <= MAX_DIFFICULTY ? target : -1;
            }
        }
        return -1;
    }

    /**
     * Mines a nonce: returns {@code t} with its nonce tags replaced by one
     * {@code ["nonce", <n>, "<difficulty>"]} tag (last) such that the id for {@code pubkeyHex} has at
     * least {@code difficulty} leading zero bits. {@code created_at}, kind, content and the other
     * tags are unchanged.
     *
     * <p>Blocks until found. Interrupting the calling thread stops every worker; the method then
     * throws {@link CancellationException} with the thread's interrupt status set again.
     *
     * @param threads worker threads (platform threads: the work is CPU-bound)
     * @throws IllegalArgumentException for a pubkey that is not 64 lowercase hex, a difficulty outside
     *     0..256, or fewer than one thread
     * @throws CancellationException if the calling thread was interrupted
     */
    public static EventTemplate mine(EventTemplate t, String pubkeyHex, int difficulty, int threads) {
        if (!Hex.isLowerHex(pubkeyHex, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters");
        }
        if (difficulty < 0 || difficulty > MAX_DIFFICULTY) {
            throw new IllegalArgumentException("difficulty must be between 0 and " + MAX_DIFFICULTY + ", got " + difficulty);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String target = Integer.toString(difficulty);
        List<List<String>> others = new ArrayList<>();
        for (List<String> tag : t.tags()) {
            if (!tag.get(0).equals(NONCE_TAG)) {
                others.add(tag);
            }
        }
        Layout layout = Layout.of(pubkeyHex, t, others, target);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong found = new AtomicLong(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int first = i;
            workers.add(Thread.ofPlatform().name("nip13-miner-" + i).daemon(true).start(() -> {
                try {
                    long n = layout.search(first, threads, difficulty, stop);
                    if (n >= 0 && found.compareAndSet(-1, n)) {
                        stop.set(true);
                        done.countDown();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                    done.countDown();
                }
            }));
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            stop.set(true);
            joinAll(workers);
            Thread.currentThread().interrupt();
            throw new CancellationException("proof-of-work mining was interrupted");
        }
        joinAll(workers);
        if (failure.get() != null) {
            throw new IllegalStateException("proof-of-work worker failed", failure.get());
        }
        List<List<String>> tags = new ArrayList<>(others);
        tags.add(List.of(NONCE_TAG, Long.toString(found.get()), target));
        EventTemplate mined = new EventTemplate(t.createdAt(), t.kind(), tags, t.content());
        byte[] id = Canonical.id(pubkeyHex, mined.createdAt(), mined.kind(), mined.tags(), mined.content());
        if (difficulty(id) < difficulty) {
            throw new IllegalStateException("mined id does not reach the target (serialization mismatch)");
        }
        return mined;
    }

    private static void joinAll(List<Thread> workers) {
        boolean interrupted = false;
        for (Thread w : workers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The canonical serialization split around the nonce's digits. */
    private record Layout(byte[] prefix, byte[] suffix) {

        static Layout of(String pubkey, EventTemplate t, List<List<String>> others, String target) {
            List<List<String>> tags = new ArrayList<>(others);
            tags.add(List.of(NONCE_TAG, "", target));
            byte[] whole = Canonical.serialize(pubkey, t.createdAt(), t.kind(), tags, t.content());
            String head = "[0,\"" + pubkey + "\"," + t.createdAt() + "," + t.kind() + ",[],";
            int quotedContent = Canonical.serialize(pubkey, t.createdAt(), t.kind(), List.of(), t.content()).length
                    - head.length() - 1;
            int suffixLength = 3 + target.length() + 4 + quotedContent + 1;
            int split = whole.length - suffixLength;
            byte[] prefix = java.util.Arrays.copyOfRange(whole, 0, split);
            byte[] suffix = java.util.Arrays.copyOfRange(whole, split, whole.length);
            String prefixEnd = new String(prefix, Math.max(0, split - 10), Math.min(10, split), StandardCharsets.UTF_8);
            if (!prefixEnd.equals("[\"nonce\",\"") || suffix[0] != '"') {
                throw new IllegalStateException("unexpected canonical layout around the nonce tag");
            }
            return new Layout(prefix, suffix);
        }

        /** Tries nonces first, first+stride, ...; returns the first that reaches {@code difficulty}, or -1 when stopped. */
        long search(long first, int stride, int difficulty, AtomicBoolean stop) {
            MessageDigest base = sha256();
            base.update(prefix);
            byte[] digits = new byte[20];
            byte[] hash = new byte[32];
            long attempts = 0;
            for (long n = first; n >= 0; n += stride) {
                if ((++attempts & 0x3ff) == 0 && stop.get()) {
                    return -1;
                }
                int start = writeDigits(n, digits);
                MessageDigest md;
                try {
                    md = (MessageDigest) base.clone();
                    md.update(digits, start, digits.length - start);
                    md.update(suffix);
                    md.digest(hash, 0, 32);
                } catch (CloneNotSupportedException | java.security.DigestException e) {
                    throw new IllegalStateException("SHA-256 state cannot be cloned", e);
                }
                if (difficulty(hash) >= difficulty) {
                    return n;
                }
            }
            return -1;
        }

        /** Writes n's decimal digits right-aligned into buf; returns the index of the first digit. */
        private static int writeDigits(long n, byte[] buf) {
            int i = buf.length;
            do {
                buf[--i] = (byte) ('0' + n % 10);
                n /= 10;
            } while (n > 0);
            return i;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JDK", e);
            }
        }
    }
}
