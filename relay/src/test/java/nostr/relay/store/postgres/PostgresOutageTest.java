package nostr.relay.store.postgres;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.store.WriteStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: the database goes down under an open storage (PostgreSQL stopped), calls fail
 * with StoreException within the connection timeout and nothing half-written stays; after the
 * server comes back on the same data directory and port the same storage object works again.
 */
class PostgresOutageTest {
    static final long T = 1_700_000_000L;

    @TempDir
    Path dataDir;
    EmbeddedPostgresServer server;
    PostgresStorage storage;

    @AfterEach
    void stop() throws IOException {
        if (storage != null) {
            storage.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void writeFailsWithStoreExceptionWhileDatabaseIsDownAndWorksAgainAfterRestart() throws Exception {
        int port = freePort();
        server = EmbeddedPostgresServer.start(dataDir, port);
        PostgresOptions options = PostgresOptions.of(server.jdbcUrl(), "postgres", "").withSchema("outage")
                .withConnectionTimeout(Duration.ofSeconds(1));
        storage = PostgresStorage.open(options);
        SecretKey key = SecretKey.generate();
        Event before = event(key, 1, T, "before the outage");
        assertEquals(List.of(WriteStatus.STORED), storage.events().write(List.of(before)));

        server.close();
        server = null;
        Event during = event(key, 1, T + 1, "during the outage");
        long start = System.nanoTime();
        StoreException failed = assertThrows(StoreException.class, () -> storage.events().write(List.of(during)));
        assertTrue(failed.getMessage().startsWith("postgres"), failed.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "a write must fail fast when the database is down");
        assertThrows(StoreException.class, () -> storage.events().query(
                new Query(List.of(new Query.Part(Filter.builder().build(), 10)), 10, T + 10), e -> true));
        assertThrows(StoreException.class, () -> storage.events().get(before.id()));
        assertFalse(storage.isHealthy());

        server = EmbeddedPostgresServer.start(dataDir, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!storage.isHealthy()) {
            assertTrue(System.nanoTime() < deadline, "storage did not recover within 60 s after the database restarted");
        }
        assertEquals(List.of(WriteStatus.DUPLICATE, WriteStatus.STORED), storage.events().write(List.of(before, during)));
        assertEquals(2, storage.events().size());
        assertEquals(before.json(), storage.events().get(before.id()).orElseThrow().json());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
