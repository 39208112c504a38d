package nostr.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.core.filter.Filter;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Node;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NIP-42, NIP-70 and NIP-17/NIP-59 with an independent client: nostr-tools 2.25.2 (npm, under node
 * with ws) answers the challenge the relay sends on connect (with {@code auth()} and with
 * {@code onauth}), is refused and then accepted publishing a protected event, wraps a private
 * message with its own NIP-17 code, and reads it back only as the recipient; on both stores.
 */
class NostrToolsAccessInteropTest {
    @TempDir
    Path dir;

    private Storage open(String store) throws Exception {
        return store.equals("sqlite") ? SqliteStorage.open(dir, SqliteOptions.defaults())
                : PostgresStorage.open(PostgresOptions.of(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "")
                        .withSchema("interop_access_" + System.nanoTime()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void nip42Nip70Nip17WithNostrTools(String store) throws Exception {
        try (Storage storage = open(store);
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage)) {
            Map<String, Map<String, Object>> steps = new HashMap<>();
            for (String line : Node.lines("relay-access-nostr-tools.mjs", null, relay.url())) {
                Map<String, Object> step = JsonTree.object(line);
                steps.put((String) step.get("step"), step);
            }
            assertEquals(32L, steps.get("challenge").get("length"));
            assertEquals("", steps.get("auth").get("reason"), "AUTH answered OK true");
            assertEquals("", steps.get("auth-carol").get("reason"), "onauth answered the challenge on connect");

            Map<String, Object> anonymous = steps.get("protected-anonymous");
            assertEquals(false, anonymous.get("accepted"));
            assertTrue(((String) anonymous.get("reason")).startsWith("auth-required:"), anonymous.toString());
            Map<String, Object> other = steps.get("protected-other");
            assertEquals(false, other.get("accepted"));
            assertTrue(((String) other.get("reason")).startsWith("restricted:"), other.toString());
            Map<String, Object> author = steps.get("protected-author");
            assertEquals(true, author.get("accepted"), author.toString());

            String wrap = (String) steps.get("wrapped").get("id");
            Map<String, Object> refused = steps.get("wraps-anonymous");
            assertEquals(List.of(), refused.get("got"));
            assertTrue(((String) refused.get("closed")).startsWith("auth-required:"), refused.toString());
            Map<String, Object> bob = steps.get("wraps-bob");
            assertEquals(List.of(), bob.get("got"), "authenticated as someone else: nothing");
            assertEquals(null, bob.get("closed"));
            Map<String, Object> carol = steps.get("wraps-carol");
            assertEquals(List.of(wrap), carol.get("got"));
            assertEquals(List.of("hello carol"), carol.get("opened"), "the recipient opens what the relay served");

            // What nostr-tools published is in the store: bob's protected note, and the wraps.
            try (WsClient ours = WsClient.connect(relay.url())) {
                assertEquals(List.of(author.get("id")), ours.query("p", Filter.builder().ids((String) author.get("id")).build()));
            }
            assertEquals(2, nostr.relay.store.TestEvents.query(storage.events(), Filter.builder().kinds(1059).build(), 10,
                    System.currentTimeMillis() / 1000).size(), "the wrap to carol and alice's own copy");
        }
    }
}
