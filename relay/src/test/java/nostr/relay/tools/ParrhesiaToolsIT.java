package nostr.relay.tools;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.core.testing.BinScript;
import nostr.core.testing.JsonTree;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/parrhesia export | bin/parrhesia import} pipe (separate JVMs, UTF-8 through
 * stdout and stdin), stats, and an import from stdin with a refused line.
 */
class ParrhesiaToolsIT {
    @TempDir
    Path dir;

    @Test
    void exportPipedIntoImportCopiesTheStoreByteForByte() throws Exception {
        Path src = dir.resolve("src");
        Path dst = dir.resolve("dst");
        SecretKey k = SecretKey.generate();
        List<Event> events = List.of(event(k, 1, 1_700_000_000L, "caf\u00e9 \ud83c\udf89 \"quoted\"", tag("t", "x")),
                event(k, 0, 1_700_000_001L, "{\"name\":\"k\"}"), event(k, 7, 1_700_000_002L, "+"));
        try (SqliteStorage s = SqliteStorage.open(src, SqliteOptions.defaults())) {
            s.events().write(events);
        }
        BinScript.Result export = BinScript.run("parrhesia", null, "export", "--data-dir", src.toString());
        assertEquals(0, export.exitCode(), export.stderr());
        assertEquals(List.of(events.get(2).json(), events.get(1).json(), events.get(0).json()), export.lines());
        assertTrue(export.stderr().contains("parrhesia export: 3 events"), export.stderr());

        BinScript.Result imported = BinScript.run("parrhesia", export.stdout(), "import", "--data-dir", dst.toString());
        assertEquals(0, imported.exitCode(), imported.stderr());
        assertTrue(imported.stderr().contains("read 3, stored 3"), imported.stderr());
        BinScript.Result again = BinScript.run("parrhesia", null, "export", "--data-dir", dst.toString());
        assertEquals(export.stdout(), again.stdout());

        BinScript.Result stats = BinScript.run("parrhesia", null, "stats", "--data-dir", dst.toString());
        assertEquals(0, stats.exitCode(), stats.stderr());
        Map<String, Object> s = JsonTree.object(stats.lines().getFirst());
        assertEquals(3L, s.get("events"));
        assertEquals(Map.of("0", 1L, "1", 1L, "7", 1L), s.get("kinds"));
        assertEquals(1_700_000_000L, s.get("oldest"));
        assertEquals(1_700_000_002L, s.get("newest"));

        BinScript.Result compact = BinScript.run("parrhesia", null, "compact", "--data-dir", dst.toString());
        assertEquals(0, compact.exitCode(), compact.stderr());
    }

    @Test
    void importFromStdinReportsARefusedLineAndExitsOne() throws Exception {
        SecretKey k = SecretKey.generate();
        Event good = event(k, 1, 1_700_000_000L, "good");
        Event signed = event(k, 1, 1_700_000_000L, "signed");
        String forged = signed.json().replace("\"signed\"", "\"forged\"");
        BinScript.Result r = BinScript.run("parrhesia", good.json() + "\n" + forged + "\nnot json\n", "import",
                "--data-dir", dir.resolve("db").toString(), "-");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(2, r.lines().size(), r.stdout());
        Map<String, Object> first = JsonTree.object(r.lines().get(0));
        assertEquals("stdin", first.get("source"));
        assertEquals(2L, first.get("line"));
        assertEquals(signed.id(), first.get("id"));
        assertTrue(((String) first.get("reason")).startsWith("invalid: "), first.toString());
        assertEquals(3L, JsonTree.object(r.lines().get(1)).get("line"));
        assertTrue(r.stderr().contains("read 3, stored 1"), r.stderr());
    }
}
