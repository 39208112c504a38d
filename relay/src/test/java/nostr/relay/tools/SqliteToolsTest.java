package nostr.relay.tools;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nostr.core.keys.SecretKey;
import nostr.relay.fault.RelayProcess;
import nostr.relay.store.Storage;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * Operator tools on the SQLite adapter, plus the single-writer rule: while a relay process runs on
 * a data directory, import and compact are refused (exit 3, naming its pid) and a second relay
 * cannot start there, while export and stats read beside it (WAL snapshot).
 */
class SqliteToolsTest extends ToolsContract {
    @Override
    protected List<String> storeFlags(String name) {
        return List.of("--data-dir", tmp.resolve(name).toString());
    }

    @Override
    protected String storeName() {
        return "sqlite";
    }

    @Test
    void writingToolsAreRefusedWhileTheRelayRunsAndReadingToolsWork() throws Exception {
        Path dir = tmp.resolve("live");
        Path dump = tmp.resolve("dump.jsonl");
        SecretKey k = SecretKey.generate();
        Files.writeString(dump, event(k, 1, 1_700_000_000L, "imported later").json() + "\n");
        try (RelayProcess relay = RelayProcess.start("--port", "0", "--data-dir", dir.toString())) {
            try (WsClient c = WsClient.connect(relay.url())) {
                assertTrue(c.publish(event(k, 1, 1_700_000_001L, "published live")).accepted());
            }
            Run imported = tool("import", "live", dump.toString());
            assertEquals(3, imported.exit());
            assertTrue(imported.err().contains("in use by a running parrhesia (pid " + relay.pid() + ")"), imported.err());
            Run compact = tool("compact", "live");
            assertEquals(3, compact.exit());
            assertTrue(compact.err().contains("stop it before compacting"), compact.err());
            Run second = parrhesia(List.of("--port", "0", "--data-dir", dir.toString()));
            assertEquals(2, second.exit(), "a second relay on the same directory is refused");

            Run export = tool("export", "live");
            assertEquals(0, export.exit(), export.err());
            assertEquals(1, export.lines().size());
            assertTrue(export.lines().getFirst().contains("published live"));
            assertEquals(0, tool("stats", "live").exit());
            assertEquals(143, relay.terminate(), "stopped by SIGTERM after its shutdown hook ran");
        }
        Run imported = tool("import", "live", dump.toString());
        assertEquals(0, imported.exit(), imported.err());
        try (Storage s = open("live")) {
            assertEquals(2, s.events().size());
        }
    }
}
