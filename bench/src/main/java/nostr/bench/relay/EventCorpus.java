package nostr.bench.relay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import nostr.core.Hex;
import nostr.core.event.Canonical;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.SecretKey;

/**
 * A reproducible set of pre-signed kind 1 notes for load runs, with what a query against it
 * should return. Built from (count, seed) only: the same pair always gives the same authors,
 * tags, contents and ids (signatures differ between builds because BIP-340 signing mixes in
 * fresh randomness, which changes nothing a relay checks). Corpora of different sizes are
 * independent (the size is mixed into the seed), so a 200k ingest corpus never collides with
 * the 1M store corpus.
 *
 * <p>Shape: {@code count / 100} authors (at least 10), each event by a uniformly chosen one; every
 * 50th event is a thread root, 80% of the others reply to a uniformly chosen root
 * ({@code ["e", <root id>, <relay hint or "">, "root"]}) and mention one or two authors
 * ({@code p}); some carry a {@code t} hashtag. Contents are 20-240 characters of words with an
 * occasional emoji, so signed events are about 350-700 bytes (mean near 560). {@code created_at}
 * rises with the index from 2023-11-14 (one second apart, some jitter).
 *
 * <p>Signing costs ~100 µs per event, so {@link #load} builds a corpus on all cores once and
 * caches it in {@code <cacheDir>/events-v1-n<count>-s<seed>.bin}; later runs read it back in a
 * second or two.
 */
final class EventCorpus {
    static final int ROOT_EVERY = 50;
    static final long BASE_CREATED_AT = 1_700_000_000L;
    private static final int MAGIC = 0x4E424556; // "NBEV"
    private static final int VERSION = 1;
    private static final String[] WORDS = ("relay note signal the a of and to in is on for with that this it was "
            + "nostr keys sign event filter subscribe publish zap lightning client server node peer gossip "
            + "morning coffee weather garden music books code rust java spring autumn river mountain city "
            + "train bike photo link thread reply agree maybe tomorrow today tonight great nice thanks").split(" ");
    private static final String[] EMOJI = {"\u26a1", "\uD83C\uDF3B", "\uD83D\uDE80", "\u2615", "\uD83D\uDC9C"};
    private static final String[] TOPICS = {"nostr", "bitcoin", "photography", "music", "books", "dev", "art", "news"};

    private final int count;
    private final long seed;
    private final String[] pubkeys;
    private final String[] rootIds;
    private final int[] authorEvents;
    private final int[] rootReplies;
    private final byte[][] events;

    private EventCorpus(int count, long seed, String[] pubkeys, String[] rootIds, int[] authorEvents,
                        int[] rootReplies, byte[][] events) {
        this.count = count;
        this.seed = seed;
        this.pubkeys = pubkeys;
        this.rootIds = rootIds;
        this.authorEvents = authorEvents;
        this.rootReplies = rootReplies;
        this.events = events;
    }

    /** Number of authors of a corpus of {@code count} events. */
    static int authorsFor(int count) {
        return Math.max(10, count / 100);
    }

    /** Number of thread roots of a corpus of {@code count} events. */
    static int rootsFor(int count) {
        return (count + ROOT_EVERY - 1) / ROOT_EVERY;
    }

    /**
     * The corpus of ({@code count}, {@code seed}): read from the cache when present and intact,
     * otherwise built on all cores and cached. Progress goes to {@code log}.
     */
    static EventCorpus load(int count, long seed, Path cacheDir, PrintStream log) throws IOException {
        Path file = cacheDir.resolve("events-v" + VERSION + "-n" + count + "-s" + seed + ".bin");
        if (Files.isRegularFile(file)) {
            long t0 = System.nanoTime();
            try {
                EventCorpus c = read(file, count, seed);
                c.spotCheck();
                log.printf("corpus: read %,d pre-signed events from %s in %.1f s%n", count, file, seconds(t0));
                return c;
            } catch (IOException | IllegalStateException e) {
                log.printf("corpus: cache %s is unusable (%s); rebuilding it%n", file, e.getMessage());
            }
        }
        EventCorpus c = generate(count, seed, log);
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, "events-", ".tmp");
        try {
            c.write(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.printf("corpus: cached in %s (%,d MB)%n", file, Files.size(file) >> 20);
        return c;
    }

    /** Builds the corpus in memory, signing on all cores. */
    static EventCorpus generate(int count, long seed, PrintStream log) {
        if (count < 1) {
            throw new IllegalArgumentException("a corpus needs at least one event, got " + count);
        }
        long t0 = System.nanoTime();
        long corpusSeed = mix(seed * 0x9E3779B97F4A7C15L + count);
        int authors = authorsFor(count);
        int roots = rootsFor(count);
        log.printf("corpus: signing %,d events by %,d authors on %d cores (seed %d) ...%n", count, authors,
                Runtime.getRuntime().availableProcessors(), seed);
        SecretKey[] keys = IntStream.range(0, authors).parallel()
                .mapToObj(a -> key(corpusSeed, a)).toArray(SecretKey[]::new);
        String[] pubkeys = IntStream.range(0, authors).parallel()
                .mapToObj(a -> keys[a].publicKey().hex()).toArray(String[]::new);
        // Roots are events of the corpus too; their ids need only their templates (hashing, no signing).
        String[] rootIds = IntStream.range(0, roots).parallel().mapToObj(r -> {
            Plan p = plan(corpusSeed, r * ROOT_EVERY, authors, roots, pubkeys, null);
            EventTemplate t = p.template();
            return Hex.encode(Canonical.id(pubkeys[p.author()], t.createdAt(), t.kind(), t.tags(), t.content()));
        }).toArray(String[]::new);
        int[] authorEvents = new int[authors];
        int[] rootReplies = new int[roots];
        for (int i = 0; i < count; i++) {
            Plan p = plan(corpusSeed, i, authors, roots, pubkeys, rootIds);
            authorEvents[p.author()]++;
            if (p.root() >= 0) {
                rootReplies[p.root()]++;
            }
        }
        byte[][] events = IntStream.range(0, count).parallel().mapToObj(i -> {
            Plan p = plan(corpusSeed, i, authors, roots, pubkeys, rootIds);
            return p.template().sign(keys[p.author()]).json().getBytes(StandardCharsets.UTF_8);
        }).toArray(byte[][]::new);
        for (SecretKey k : keys) {
            k.destroy();
        }
        double s = seconds(t0);
        log.printf("corpus: signed %,d events in %.1f s (%,.0f events/s)%n", count, s, count / s);
        return new EventCorpus(count, seed, pubkeys, rootIds, authorEvents, rootReplies, events);
    }

    /** One event's plan: its author, the root it replies to (-1 for none) and its template. */
    private record Plan(int author, int root, EventTemplate template) {}

    /** Thread roots ({@code i % ROOT_EVERY == 0}) reply to nothing, so their plans need no {@code rootIds}. */
    private static Plan plan(long corpusSeed, int i, int authors, int roots, String[] pubkeys, String[] rootIds) {
        SplittableRandom rng = new SplittableRandom(mix(corpusSeed + i));
        int author = rng.nextInt(authors);
        long createdAt = BASE_CREATED_AT + i + rng.nextInt(30);
        List<List<String>> tags = new ArrayList<>(4);
        int root = -1;
        boolean isRoot = i % ROOT_EVERY == 0;
        if (!isRoot && rng.nextInt(100) < 80) {
            root = rng.nextInt(roots);
            tags.add(List.of("e", rootIds[root], rng.nextBoolean() ? "wss://relay.example.com" : "", "root"));
            tags.add(List.of("p", pubkeys[rng.nextInt(authors)]));
            if (rng.nextInt(100) < 30) {
                tags.add(List.of("p", pubkeys[rng.nextInt(authors)]));
            }
        }
        if (rng.nextInt(100) < (isRoot ? 50 : 20)) {
            tags.add(List.of("t", TOPICS[rng.nextInt(TOPICS.length)]));
        }
        int target = 20 + rng.nextInt(isRoot ? 220 : 160);
        StringBuilder content = new StringBuilder(target + 8);
        while (content.length() < target) {
            if (!content.isEmpty()) {
                content.append(' ');
            }
            content.append(rng.nextInt(40) == 0 ? EMOJI[rng.nextInt(EMOJI.length)] : WORDS[rng.nextInt(WORDS.length)]);
        }
        return new Plan(author, root, new EventTemplate(createdAt, 1, tags, content.toString()));
    }

    private static SecretKey key(long corpusSeed, int author) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int attempt = 0; ; attempt++) {
                sha.update(("bench-author:" + corpusSeed + ":" + author + ":" + attempt).getBytes(StandardCharsets.US_ASCII));
                byte[] k = sha.digest();
                try {
                    return SecretKey.fromBytes(k);
                } catch (IllegalArgumentException outOfRange) {
                    // Probability 2^-128; try the next candidate.
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** SplitMix64's finalizer: spreads nearby seeds over the whole 64-bit range. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- accessors ----------------------------------------------------------------------------

    int size() {
        return count;
    }

    long seed() {
        return seed;
    }

    /** The signed event JSON of event {@code i} (UTF-8; do not modify). */
    byte[] json(int i) {
        return events[i];
    }

    /** The id of event {@code i}: our own serializer writes it first, at bytes 7..71. */
    String id(int i) {
        return new String(events[i], 7, 64, StandardCharsets.ISO_8859_1);
    }

    int authors() {
        return pubkeys.length;
    }

    String pubkey(int author) {
        return pubkeys[author];
    }

    /** Events written by {@code author}. */
    int eventsBy(int author) {
        return authorEvents[author];
    }

    int roots() {
        return rootIds.length;
    }

    String rootId(int root) {
        return rootIds[root];
    }

    /** Events whose {@code e} tag names root {@code root}. */
    int repliesTo(int root) {
        return rootReplies[root];
    }

    /** Mean size of an event's JSON in bytes. */
    double meanEventBytes() {
        long total = 0;
        for (byte[] e : events) {
            total += e.length;
        }
        return (double) total / count;
    }

    /** Parses and verifies a few events spread over the corpus: a damaged cache fails here. */
    void spotCheck() {
        for (int k = 0; k < 8; k++) {
            int i = (int) ((long) k * (count - 1) / 7);
            String json = new String(events[i], StandardCharsets.UTF_8);
            try {
                Event e = Event.parse(json);
                e.verify();
                if (!e.id().equals(id(i))) {
                    throw new IllegalStateException("event " + i + " does not start with its id");
                }
            } catch (InvalidEventException e) {
                throw new IllegalStateException("event " + i + " of the corpus is invalid: " + e.getMessage());
            }
        }
    }

    // ---- cache file -----------------------------------------------------------------------------

    private void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(count);
            out.writeLong(seed);
            out.writeInt(pubkeys.length);
            for (int a = 0; a < pubkeys.length; a++) {
                out.write(Hex.decode(pubkeys[a]));
                out.writeInt(authorEvents[a]);
            }
            out.writeInt(rootIds.length);
            for (int r = 0; r < rootIds.length; r++) {
                out.write(Hex.decode(rootIds[r]));
                out.writeInt(rootReplies[r]);
            }
            for (byte[] e : events) {
                out.writeInt(e.length);
                out.write(e);
            }
            out.writeInt(MAGIC);
        }
    }

    private static EventCorpus read(Path file, int count, long seed) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a version " + VERSION + " corpus file");
            }
            if (in.readInt() != count || in.readLong() != seed) {
                throw new IOException("file is for another count or seed");
            }
            int authors = in.readInt();
            if (authors != authorsFor(count)) {
                throw new IOException("file has " + authors + " authors, expected " + authorsFor(count));
            }
            String[] pubkeys = new String[authors];
            int[] authorEvents = new int[authors];
            byte[] key = new byte[32];
            for (int a = 0; a < authors; a++) {
                in.readFully(key);
                pubkeys[a] = Hex.encode(key);
                authorEvents[a] = in.readInt();
            }
            int roots = in.readInt();
            if (roots != rootsFor(count)) {
                throw new IOException("file has " + roots + " roots, expected " + rootsFor(count));
            }
            String[] rootIds = new String[roots];
            int[] rootReplies = new int[roots];
            for (int r = 0; r < roots; r++) {
                in.readFully(key);
                rootIds[r] = Hex.encode(key);
                rootReplies[r] = in.readInt();
            }
            byte[][] events = new byte[count][];
            for (int i = 0; i < count; i++) {
                int len = in.readInt();
                if (len < 0 || len > 1 << 20) {
                    throw new IOException("event " + i + " has an impossible length " + len);
                }
                events[i] = new byte[len];
                in.readFully(events[i]);
            }
            if (in.readInt() != MAGIC) {
                throw new IOException("file is truncated or has trailing garbage");
            }
            return new EventCorpus(count, seed, pubkeys, rootIds, authorEvents, rootReplies, events);
        } catch (EOFException e) {
            throw new IOException("file is truncated", e);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
