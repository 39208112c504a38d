package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-signed corpus: NIP-01-valid events, reproducible from (count, seed), with correct query expectations; the cache. */
class EventCorpusTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void nip01EveryEventIsValidAndItsExpectationsMatchItsTags() throws Exception {
        EventCorpus c = EventCorpus.generate(300, 5, QUIET);
        assertEquals(300, c.size());
        assertEquals(10, c.authors());
        assertEquals(6, c.roots());
        int[] byAuthor = new int[c.authors()];
        int[] byRoot = new int[c.roots()];
        Set<String> ids = new HashSet<>();
        List<String> pubkeys = java.util.stream.IntStream.range(0, c.authors()).mapToObj(c::pubkey).toList();
        List<String> roots = java.util.stream.IntStream.range(0, c.roots()).mapToObj(c::rootId).toList();
        for (int i = 0; i < c.size(); i++) {
            Event e = Event.parse(new String(c.json(i), StandardCharsets.UTF_8));
            e.verify();
            assertEquals(e.id(), c.id(i));
            assertEquals(1, e.kind());
            assertTrue(ids.add(e.id()), "duplicate id at " + i);
            byAuthor[pubkeys.indexOf(e.pubkey())]++;
            String root = e.tagValue("e");
            if (root != null) {
                byRoot[roots.indexOf(root)]++;
            }
            if (i % EventCorpus.ROOT_EVERY == 0) {
                assertEquals(roots.get(i / EventCorpus.ROOT_EVERY), e.id(), "event " + i + " is a thread root");
            }
            assertTrue(c.json(i).length > 300 && c.json(i).length < 800, "size " + c.json(i).length);
        }
        for (int a = 0; a < c.authors(); a++) {
            assertEquals(byAuthor[a], c.eventsBy(a), "author " + a);
        }
        for (int r = 0; r < c.roots(); r++) {
            assertEquals(byRoot[r], c.repliesTo(r), "root " + r);
        }
    }

    @Test
    void sameCountAndSeedGiveTheSameIdsAndOtherCountsShareNone() {
        EventCorpus a = EventCorpus.generate(120, 1, QUIET);
        EventCorpus b = EventCorpus.generate(120, 1, QUIET);
        EventCorpus other = EventCorpus.generate(121, 1, QUIET);
        EventCorpus otherSeed = EventCorpus.generate(120, 2, QUIET);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            assertEquals(a.id(i), b.id(i));
            ids.add(a.id(i));
        }
        for (int i = 0; i < 120; i++) {
            assertTrue(!ids.contains(other.id(i)) && !ids.contains(otherSeed.id(i)), "shared id at " + i);
        }
    }

    @Test
    void theCacheIsReusedAndADamagedOneIsRebuilt(@TempDir Path dir) throws Exception {
        EventCorpus first = EventCorpus.load(150, 3, dir, QUIET);
        Path file = dir.resolve("events-v1-n150-s3.bin");
        assertTrue(Files.isRegularFile(file));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EventCorpus again = EventCorpus.load(150, 3, dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("read 150 pre-signed events"), log.toString(StandardCharsets.UTF_8));
        for (int i = 0; i < 150; i++) {
            assertArrayEquals(first.json(i), again.json(i));
        }
        assertEquals(first.pubkey(3), again.pubkey(3));
        assertEquals(first.repliesTo(1), again.repliesTo(1));

        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        log.reset();
        EventCorpus rebuilt = EventCorpus.load(150, 3, dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("unusable"), log.toString(StandardCharsets.UTF_8));
        assertEquals(first.id(149), rebuilt.id(149));
        assertEquals(bytes.length, Files.size(file), "the rebuilt cache is whole again");
    }
}
