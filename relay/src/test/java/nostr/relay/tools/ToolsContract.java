package nostr.relay.tools;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.relay.ParrhesiaMain;
import nostr.relay.StorageOpener;
import nostr.relay.config.ConfigLoader;
import nostr.relay.store.Storage;
import nostr.relay.store.TestEvents;
import nostr.relay.store.WriteStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator tools of {@code bin/parrhesia} (export, import, stats, compact) run in-process
 * against a real store, one subclass per adapter: an export/import round trip keeps every event
 * byte for byte, export filters select exactly, import goes through the relay's write rules and
 * reports every refused line with its reason, stats counts what was written, compact keeps it.
 */
public abstract class ToolsContract {
    @TempDir
    protected Path tmp;

    /** Flags that name a fresh, empty store called {@code name} (same name: same store). */
    protected abstract List<String> storeFlags(String name) throws Exception;

    /** A run of a subcommand: exit code and what it printed. */
    protected record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs {@code parrhesia <args>} in this JVM with captured output. */
    protected static Run parrhesia(List<String> args) {
        CommandLine cmd = OperatorTools.addTo(new CommandLine(new ParrhesiaMain()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    protected Run tool(String command, String store, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(storeFlags(store));
        args.addAll(List.of(more));
        return parrhesia(args);
    }

    /** Opens the store the flags name, as the tools do. */
    protected Storage open(String store) throws Exception {
        List<String> flags = storeFlags(store);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < flags.size(); i += 2) {
            m.put(flags.get(i).substring(2).replace('-', '_'), flags.get(i + 1));
        }
        return StorageOpener.open(ConfigLoader.load(m, Map.of()));
    }

    /**
     * The same event as {@code e}, serialized with reordered fields and spacing (a valid, unusual
     * raw form); {@code gap} is the whitespace after the first field.
     */
    static String spaced(Event e, String gap) {
        StringBuilder tags = new StringBuilder("[");
        for (List<String> t : e.tags()) {
            tags.append(tags.length() > 1 ? ", " : "").append('[');
            for (int i = 0; i < t.size(); i++) {
                tags.append(i > 0 ? ", " : "").append(Json.quote(t.get(i)));
            }
            tags.append(']');
        }
        tags.append(']');
        return "{ \"sig\": \"" + e.sig() + "\"," + gap + "\"content\" : " + Json.quote(e.content()) + ", \"tags\": " + tags
                + ", \"kind\": " + e.kind() + ", \"created_at\": " + e.createdAt() + ", \"pubkey\": \"" + e.pubkey()
                + "\", \"id\": \"" + e.id() + "\" }";
    }

    private static List<String> nip01Order(Map<Event, String> raw) {
        return raw.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Event, String>>comparingLong(x -> -x.getKey().createdAt())
                        .thenComparing(x -> x.getKey().id()))
                .map(Map.Entry::getValue).toList();
    }

    @Test
    void exportThenImportKeepsEveryEventByteForByteAndReimportIsAllDuplicates() throws Exception {
        SecretKey a = SecretKey.generate();
        SecretKey b = SecretKey.generate();
        long t = 1_700_000_000L;
        Event odd = event(a, 1, t + 5, "emoji \ud83d\ude00, \u00e9, \"quotes\", back\\slash, tab\t", tag("t", "x"));
        Event profileOld = event(a, 0, t, "{\"name\":\"old\"}");
        Event profileNew = event(a, 0, t + 1, "{\"name\":\"new\"}");
        Event article = event(b, 30023, t + 2, "article", tag("d", "slug"), tag("t", "y"));
        Event note = event(b, 1, t + 5, "same second as odd");
        Map<Event, String> kept = new HashMap<>();
        kept.put(odd, spaced(odd, "\t "));
        kept.put(profileNew, profileNew.json());
        kept.put(article, spaced(article, "\r\n  "));
        kept.put(note, note.json());
        try (Storage src = open("src")) {
            List<Event> parsed = new ArrayList<>();
            for (String raw : List.of(kept.get(odd), profileOld.json(), profileNew.json(), kept.get(article), note.json())) {
                parsed.add(Event.parse(raw));
            }
            src.events().write(parsed);
        }
        Path first = tmp.resolve("first.jsonl");
        Run export = tool("export", "src", "--output", first.toString());
        assertEquals(0, export.exit(), export.err());
        assertTrue(export.err().contains("4 events"), export.err());
        // JSON lines cannot hold line breaks: the one between the article's tokens becomes spaces.
        List<String> expected = nip01Order(kept).stream().map(raw -> raw.replace("\r\n", "  ")).toList();
        assertEquals(expected, Files.readAllLines(first, StandardCharsets.UTF_8),
                "newest first, each line the raw JSON as received (the older profile was replaced)");
        assertTrue(expected.contains(spaced(odd, "\t ")), "spacing, tabs, escapes and emoji kept byte for byte");

        Run imported = tool("import", "dst", first.toString());
        assertEquals(0, imported.exit(), imported.out() + imported.err());
        assertTrue(imported.err().contains("read 4, stored 4, duplicate 0"), imported.err());
        assertEquals(List.of(), imported.lines());
        Path second = tmp.resolve("second.jsonl");
        assertEquals(0, tool("export", "dst", "-o", second.toString()).exit());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "round trip is byte-identical");

        Run again = tool("import", "dst", first.toString());
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.err().contains("stored 0, duplicate 4"), again.err());
    }

    @Test
    void exportFiltersByKindAuthorTimeAndTag() throws Exception {
        SecretKey a = SecretKey.generate();
        SecretKey b = SecretKey.generate();
        long t = 1_700_000_000L;
        Event a1 = event(a, 1, t, "a1", tag("t", "x"));
        Event a7 = event(a, 7, t + 10, "+", tag("t", "y"));
        Event b1 = event(b, 1, t + 20, "b1", tag("t", "z"));
        Event b1late = event(b, 1, t + 30, "b1 late");
        try (Storage s = open("filters")) {
            s.events().write(List.of(a1, a7, b1, b1late));
        }
        assertEquals(List.of(b1late.json(), b1.json(), a1.json()), export("filters", "--kind", "1"));
        assertEquals(List.of(a7.json(), a1.json()), export("filters", "--author", a.publicKey().npub()));
        assertEquals(List.of(b1.json(), a7.json()), export("filters", "--since", Long.toString(t + 10),
                "--until", Long.toString(t + 20)));
        assertEquals(List.of(b1.json(), a1.json()), export("filters", "--tag", "t=x", "--tag", "t=z"));
        assertEquals(List.of(b1.json()), export("filters", "-k", "1", "-a", b.publicKey().hex(), "-t", "t=z"));

        Run bad = tool("export", "filters", "--tag", "tt=x");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().startsWith("parrhesia export: --tag"), bad.err());
        assertEquals(2, tool("export", "filters", "--author", "nobody").exit());
    }

    private List<String> export(String store, String... flags) throws Exception {
        Run r = tool("export", store, flags);
        assertEquals(0, r.exit(), r.err());
        return r.lines();
    }

    @Test
    void importVerifiesEveryEventAppliesTheWriteRulesAndReportsEachRefusal() throws Exception {
        SecretKey a = SecretKey.generate();
        SecretKey banned = SecretKey.generate();
        SecretKey vanishing = SecretKey.generate();
        long t = 1_700_000_000L;
        Event good = event(a, 1, t, "good");
        Event target = event(a, 1, t + 1, "to be deleted");
        Event deletion = event(a, 5, t + 2, "", tag("e", target.id()));
        Event profileNew = event(a, 0, t + 3, "{\"name\":\"new\"}");
        Event profileOld = event(a, 0, t + 2, "{\"name\":\"old\"}");
        Event forgedSig = event(a, 1, t, "signed");
        String badSig = forgedSig.json().replace(forgedSig.sig(), event(a, 1, t, "other").sig());
        Event forgedId = event(a, 1, t, "original");
        String badId = forgedId.json().replace("\"original\"", "\"changed\"");
        Event ephemeral = event(a, 20001, t, "ephemeral");
        Event auth = event(a, 22242, t, "", tag("relay", "ws://x/"), tag("challenge", "c"));
        Event fromBanned = event(banned, 1, t, "banned author");
        Event vanished = event(vanishing, 1, t, "before vanishing");
        Event vanish = event(vanishing, 62, t + 10, "", tag("relay", "ALL_RELAYS"));
        Event afterVanish = event(vanishing, 1, t + 5, "older than the request: refused");
        try (Storage s = open("rules")) {
            s.moderation().banPubkey(banned.publicKey().hex(), "spam");
        }
        List<String> lines = List.of(
                good.json(),                 // 1 stored
                target.json(),               // 2 stored, then deleted by line 3
                deletion.json(),             // 3 stored and applied
                target.json(),               // 4 refused: deleted
                "",                          // 5 blank: skipped
                "{\"kind\": 1,",             // 6 malformed
                badSig,                      // 7 bad signature
                badId,                       // 8 bad id
                ephemeral.json(),            // 9 ephemeral
                auth.json(),                 // 10 kind 22242
                fromBanned.json(),           // 11 banned pubkey
                profileNew.json(),           // 12 stored
                profileOld.json(),           // 13 superseded (acknowledged, not a refusal)
                vanished.json(),             // 14 stored, then removed by 15
                vanish.json(),               // 15 request to vanish applied, not stored
                afterVanish.json());         // 16 refused: vanished
        Path file = tmp.resolve("mixed.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Run r = tool("import", "rules", file.toString());
        assertEquals(1, r.exit(), r.err());
        Map<Long, String> reasons = new HashMap<>();
        for (String line : r.lines()) {
            Map<String, Object> o = JsonTree.object(line);
            assertEquals(file.toString(), o.get("source"));
            assertEquals(false, o.get("accepted"));
            reasons.put((Long) o.get("line"), (String) o.get("reason"));
        }
        assertEquals(List.of(4L, 6L, 7L, 8L, 9L, 10L, 11L, 16L), reasons.keySet().stream().sorted().toList(), reasons.toString());
        assertTrue(reasons.get(4L).startsWith("blocked:"), reasons.get(4L));
        assertTrue(reasons.get(6L).startsWith("invalid:"), reasons.get(6L));
        assertTrue(reasons.get(7L).startsWith("invalid:") && reasons.get(7L).contains("signature"), reasons.get(7L));
        assertTrue(reasons.get(8L).startsWith("invalid:") && reasons.get(8L).contains("id"), reasons.get(8L));
        assertTrue(reasons.get(9L).startsWith("invalid:") && reasons.get(9L).contains("ephemeral"), reasons.get(9L));
        assertTrue(reasons.get(10L).startsWith("invalid:") && reasons.get(10L).contains("22242"), reasons.get(10L));
        assertTrue(reasons.get(11L).startsWith("blocked:") && reasons.get(11L).contains("spam"), reasons.get(11L));
        assertTrue(reasons.get(16L).startsWith("blocked:") && reasons.get(16L).contains("NIP-62"), reasons.get(16L));
        assertTrue(r.err().contains("read 15, stored 5, duplicate 0, superseded 1, rejected 8, requests to vanish applied 1,"
                + " events removed by deletion and vanish requests 2"), r.err());

        try (Storage s = open("rules")) {
            List<String> stored = TestEvents.ids(TestEvents.query(s.events(), Filter.builder()
                    .authors(List.of(a.publicKey().hex(), banned.publicKey().hex(), vanishing.publicKey().hex())).build(),
                    100, t));
            assertEquals(List.of(profileNew.id(), deletion.id(), good.id()), stored);
            // The deletion is remembered as the relay would: publishing the target again is refused.
            assertEquals(List.of(WriteStatus.DELETED), s.events().write(List.of(target)));
        }
    }

    @Test
    void statsCountEventsByKindWithTheTimeRangeAndCompactKeepsThem() throws Exception {
        SecretKey a = SecretKey.generate();
        try (Storage s = open("stats")) {
            s.events().write(List.of(event(a, 1, 1_600_000_000L, "x"), event(a, 1, 1_600_000_100L, "y"),
                    event(a, 7, 1_700_000_000L, "+"), event(a, 3, 1_650_000_000L, "")));
        }
        Map<String, Object> stats = stats("stats");
        assertEquals(4L, stats.get("events"));
        assertEquals(Map.of("1", 2L, "3", 1L, "7", 1L), stats.get("kinds"));
        assertEquals(1_600_000_000L, stats.get("oldest"));
        assertEquals("2020-09-13T12:26:40Z", stats.get("oldest_utc"));
        assertEquals(1_700_000_000L, stats.get("newest"));
        assertTrue((Long) stats.get("size_bytes") > 0);

        Run compact = tool("compact", "stats");
        assertEquals(0, compact.exit(), compact.err());
        Map<String, Object> c = JsonTree.object(compact.lines().getFirst());
        assertFalse(((List<?>) c.get("actions")).isEmpty());
        assertTrue((Long) c.get("size_after_bytes") > 0);
        assertEquals(0, tool("vacuum", "stats").exit(), "vacuum is compact's alias");
        assertEquals(stats.get("kinds"), stats("stats").get("kinds"));

        Map<String, Object> empty = stats("empty");
        assertEquals(0L, empty.get("events"));
        assertEquals(null, empty.get("oldest"));
        assertEquals(Map.of(), empty.get("kinds"));
    }

    private Map<String, Object> stats(String store) throws Exception {
        Run r = tool("stats", store);
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> o = JsonTree.object(r.lines().getFirst());
        assertEquals(storeName(), o.get("store"));
        return o;
    }

    /** "sqlite" or "postgres". */
    protected abstract String storeName();

    @Test
    void badConfigurationIsExit2AndAnUnreachableStoreExit3() throws Exception {
        Run badStore = parrhesia(List.of("stats", "--store", "mysql"));
        assertEquals(2, badStore.exit());
        assertTrue(badStore.err().startsWith("parrhesia stats: ") && badStore.err().contains("mysql"), badStore.err());
        Run unreachable = parrhesia(List.of("export", "--store", "postgres", "--postgres-url",
                "jdbc:postgresql://127.0.0.1:1/none?user=x&connectTimeout=2"));
        assertEquals(3, unreachable.exit(), unreachable.err());
        assertTrue(unreachable.err().startsWith("parrhesia export: cannot open the postgres store"), unreachable.err());
        Run missing = tool("import", "missing", tmp.resolve("absent.jsonl").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("absent.jsonl"), missing.err());
    }
}
