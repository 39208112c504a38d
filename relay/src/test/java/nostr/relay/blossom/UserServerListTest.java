package nostr.relay.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import nostr.blossom.client.BlossomClient;
import nostr.blossom.client.ServerList;
import nostr.core.client.ClientOptions;
import nostr.core.client.RelayPool;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BUD-03: the client reads a user's kind 10063 server list from a real relay (core's RelayPool)
 * and falls back along it, past a server that is down, to the relay's own Blossom server.
 */
class UserServerListTest {
    @TempDir
    Path dir;

    @Test
    void bud03ClientUploadsAndDownloadsAlongTheUsersKind10063List() throws Exception {
        SecretKey alice = SecretKey.generate();
        URI dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (SqliteStorage storage = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage);
             RelayPool pool = RelayPool.connect(List.of(relay.url()), ClientOptions.defaults());
             BlossomClient client = BlossomClient.create(EventSigner.of(alice))) {
            URI blossom = relay.blossom().orElseThrow().options().publicUrl();
            assertEquals(List.of(), ServerList.fetch(pool, alice.publicKey().hex(), Duration.ofSeconds(10)));
            // An older list, then the current one: the newest wins.
            var old = new nostr.core.event.EventTemplate(System.currentTimeMillis() / 1000 - 100, ServerList.KIND,
                    List.of(List.of("server", "https://old.example.com")), "").sign(alice);
            assertTrue(pool.publish(old).get().getFirst() instanceof nostr.core.client.RelayOutcome.Success<?>);
            pool.publish(ServerList.template(List.of(dead, blossom)).sign(alice)).get();
            assertEquals(List.of(dead, blossom), ServerList.fetch(pool, alice.publicKey().hex(), Duration.ofSeconds(10)));

            byte[] content = new byte[30_000];
            new SecureRandom().nextBytes(content);
            Path file = dir.resolve("home.tar");
            Files.write(file, content);
            BlossomClient.Uploaded up = client.uploadToUserServers(pool, file, "application/x-tar", Duration.ofSeconds(10));
            assertEquals(blossom, up.server());
            assertEquals(List.of(dead), List.copyOf(up.failures().keySet()));

            Path back = dir.resolve("back.tar");
            try (BlossomClient reader = BlossomClient.create(null)) {
                URI from = reader.downloadFromUserServers(pool, alice.publicKey().hex(), up.descriptor().sha256(), back,
                        Duration.ofSeconds(10));
                assertEquals(blossom, from);
            }
            assertArrayEquals(content, Files.readAllBytes(back));
        }
    }
}
