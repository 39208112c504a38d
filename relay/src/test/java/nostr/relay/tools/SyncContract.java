package nostr.relay.tools;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.ParrhesiaMain;
import nostr.relay.Relay;
import nostr.relay.StorageOpener;
import nostr.relay.config.ConfigLoader;
import nostr.relay.config.RelayConfig;
import nostr.relay.negentropy.NegentropyIndex;
import nostr.relay.store.Storage;
import nostr.relay.store.Visibility;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.MessageLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code parrhesia sync} (NIP-77) run in-process between a local store of the adapter under test
 * and a real remote relay over a WebSocket: down fetches exactly what the relay has and the store
 * lacks, up publishes the reverse, a filter narrows both, a second run finds nothing to do, and a
 * relay with NIP-77 off makes it fail fast with exit 3.
 */
public abstract class SyncContract {
    @TempDir
    protected Path tmp;
    protected Storage remoteStore;
    protected Relay remote;

    /** Flags naming a fresh, empty local store called {@code name} (same name: same store). */
    protected abstract List<String> storeFlags(String name) throws Exception;

    protected record Run(int exit, String out, String err) {}

    @BeforeEach
    void startRemote() throws Exception {
        Path dir = tmp.resolve("remote");
        remoteStore = SqliteStorage.open(dir, SqliteOptions.defaults());
        remote = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), remoteStore);
    }

    @AfterEach
    void stopRemote() {
        if (remote != null) {
            remote.close();
        }
        if (remoteStore != null) {
            remoteStore.close();
        }
    }

    protected static Run parrhesia(List<String> args) {
        CommandLine cmd = ParrhesiaMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    protected Run sync(String store, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("sync"));
        a.addAll(storeFlags(store));
        a.addAll(List.of(args));
        return parrhesia(a);
    }

    /** Opens the local store the flags name (after the tool has closed it). */
    protected Storage openLocal(String store) throws Exception {
        List<String> flags = storeFlags(store);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < flags.size(); i += 2) {
            m.put(flags.get(i).substring(2).replace('-', '_'), flags.get(i + 1));
        }
        return StorageOpener.open(ConfigLoader.load(m, Map.of()));
    }

    protected static Set<String> ids(Storage s, Filter f) throws Exception {
        Set<String> out = new TreeSet<>();
        s.events().scanItems(f, System.currentTimeMillis() / 1000, Visibility.EVERYTHING, (createdAt, id, kind, exp) -> {
            out.add(Hex.encode(id));
            return true;
        });
        return out;
    }

    protected static Set<String> ids(List<Event> events) {
        Set<String> out = new TreeSet<>();
        events.forEach(e -> out.add(e.id()));
        return out;
    }

    protected void awaitRemoteIndex() {
        MessageLog.until("remote index ready", () -> remote.negentropy().index().state() == NegentropyIndex.State.READY);
    }

    @Test
    void nip77SyncDownThenUpLeavesBothSidesWithTheSameEvents() throws Exception {
        SecretKey a = SecretKey.generate();
        long t = 1_700_000_000L;
        List<Event> onRemote = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            onRemote.add(event(a, i % 4 == 0 ? 7 : 1, t + i / 3, "remote " + i));
        }
        remoteStore.events().write(onRemote);
        List<Event> onlyLocal = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            onlyLocal.add(event(a, 1, t + 1000 + i, "local " + i));
        }
        try (Storage local = openLocal("down")) {
            local.events().write(onRemote.subList(0, 150));
            local.events().write(onlyLocal);
        }
        awaitRemoteIndex();

        Run down = sync("down", remote.url());
        assertEquals(0, down.exit(), down.err());
        assertEquals("", down.out(), "nothing refused");
        assertTrue(down.err().contains("the relay has 250 event(s) the local store lacks, the local store has 60"), down.err());
        assertTrue(down.err().contains("stored 250"), down.err());
        Set<String> expected = ids(onRemote);
        expected.addAll(ids(onlyLocal));
        try (Storage local = openLocal("down")) {
            assertEquals(expected, ids(local, Filter.builder().build()));
        }
        assertEquals(ids(onRemote), ids(remoteStore, Filter.builder().build()), "down leaves the relay alone");

        Run up = sync("down", remote.url(), "--direction", "up");
        assertEquals(0, up.exit(), up.err());
        assertTrue(up.err().contains("published 60"), up.err());
        assertEquals(expected, ids(remoteStore, Filter.builder().build()));

        Run again = sync("down", remote.url(), "--direction", "both");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("only on the relay 0, only local 0"), again.err());
    }

    @Test
    void nip77SyncFilterNarrowsWhatIsReconciledAndFetched() throws Exception {
        SecretKey a = SecretKey.generate();
        long t = 1_700_100_000L;
        List<Event> notes = new ArrayList<>();
        List<Event> reactions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            notes.add(event(a, 1, t + i, "n" + i));
            reactions.add(event(a, 7, t + i, "+"));
        }
        remoteStore.events().write(notes);
        remoteStore.events().write(reactions);
        Run r = sync("filtered", remote.url(), "--filter", "{\"kinds\":[7]}", "--batch", "7");
        assertEquals(0, r.exit(), r.err());
        try (Storage local = openLocal("filtered")) {
            assertEquals(ids(reactions), ids(local, Filter.builder().build()));
        }
    }

    @Test
    void nip77SyncAgainstARelayWithNip77OffFailsFastWithExit3() throws Exception {
        Path dir = tmp.resolve("off");
        try (Storage s = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay off = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir)
                     .withNegentropy(RelayConfig.defaults().negentropy().withEnabled(false)), s)) {
            openLocal("off").close();
            long started = System.nanoTime();
            Run r = sync("off", off.url(), "--timeout", "30");
            assertEquals(3, r.exit(), r.err());
            assertTrue(r.err().contains("does not support NIP-77") && r.err().contains("unsupported:"), r.err());
            assertTrue(System.nanoTime() - started < 30_000_000_000L, "no waiting for the timeout: the relay said so");
        }
    }

    @Test
    void nip77SyncUsageErrorsExitTwoAndAnUnreachableRelayThree() throws Exception {
        assertEquals(2, sync("usage", remote.url(), "--filter", "{\"kinds\":\"x\"}").exit());
        assertEquals(2, sync("usage", remote.url(), "--direction", "sideways").exit());
        assertEquals(2, sync("usage", "http://example.test/").exit());
        assertEquals(2, sync("usage", remote.url(), "--frame-size-limit", "100").exit());
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Run r = sync("usage", "ws://127.0.0.1:" + closedPort + "/", "--timeout", "5");
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("cannot reach"), r.err());
    }
}
