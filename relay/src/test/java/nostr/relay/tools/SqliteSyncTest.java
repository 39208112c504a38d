package nostr.relay.tools;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;

/**
 * {@code parrhesia sync} into a SQLite store; also the SQLite single-writer rule: while a relay
 * runs on the data directory (it holds the lock), fetched events go to that relay over its
 * WebSocket, which stores and indexes them.
 */
class SqliteSyncTest extends SyncContract {
    @Override
    protected List<String> storeFlags(String name) {
        return List.of("--data-dir", tmp.resolve("local-" + name).toString());
    }

    @Test
    void nip77SyncIntoADataDirectoryWhoseRelayRunsGoesThroughThatRelay() throws Exception {
        SecretKey a = SecretKey.generate();
        List<Event> onRemote = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            onRemote.add(event(a, 1, 1_700_200_000L + i, "r" + i));
        }
        remoteStore.events().write(onRemote);
        Path dir = tmp.resolve("local-running");
        try (DataDirLock lock = DataDirLock.acquire(dir, "running the relay");
             Storage store = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay local = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), store)) {
            Path config = tmp.resolve("local.properties");
            Files.writeString(config, "port = " + local.port() + "\n");
            Run r = sync("running", remote.url(), "--config", config.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("fetched events go to it at " + local.url()), r.err());
            assertTrue(r.err().contains("stored 120"), r.err());
            assertEquals(ids(onRemote), ids(store, Filter.builder().build()));
            nostr.relay.testing.MessageLog.until("local index ready",
                    () -> local.negentropy().index().state() == nostr.relay.negentropy.NegentropyIndex.State.READY);
            assertEquals(120, local.negentropy().index().size(), "the running relay indexed what it was handed");
        }
    }
}
