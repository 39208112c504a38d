package nostr.relay.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nostr.core.keys.SecretKey;
import nostr.core.testing.BinScript;
import nostr.core.testing.JsonTree;
import nostr.relay.Relay;
import nostr.relay.config.Operations;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.GroupStore;
import nostr.relay.store.Listed;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-86 through the real {@code bin/parrhesia admin} (its own JVM) against the relay running in
 * this JVM: params typed from words (kinds as numbers, npub accepted), the key from --sec or
 * NOSTR_SECRET_KEY, the result JSON on stdout, and the exit codes: 0 result, 1 error answer
 * (403, unknown method), 2 usage, 3 relay unreachable.
 */
class ParrhesiaAdminIT {
    @TempDir
    Path dir;

    private final SecretKey admin = SecretKey.generate();
    private SqliteStorage storage;
    private Relay relay;

    @BeforeEach
    void start() throws Exception {
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
        relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir)
                .withOperations(Operations.defaults().withAdminPubkeys(Set.of(admin.publicKey().hex()))), storage);
    }

    @AfterEach
    void stop() {
        relay.close();
        storage.close();
    }

    private BinScript.Result admin(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--relay";
        all[args.length + 2] = relay.url();
        return BinScript.run("parrhesia", null, env, all);
    }

    private BinScript.Result asAdmin(String... args) {
        return admin(Map.of("NOSTR_SECRET_KEY", admin.toNsec()), args);
    }

    @Test
    void nip86MethodsThroughTheScriptPrintTheirResultsAndTakeEffect() throws Exception {
        BinScript.Result methods = asAdmin("supportedmethods");
        assertEquals(0, methods.exitCode(), methods.stderr());
        List<?> names = (List<?>) JsonTree.parse(methods.lines().getFirst());
        assertTrue(names.contains("banpubkey") && names.contains("listblockedips") && names.size() == 24, names.toString());

        SecretKey spammer = SecretKey.generate();
        BinScript.Result ban = asAdmin("banpubkey", spammer.publicKey().npub(), "spam, twice");
        assertEquals(0, ban.exitCode(), ban.stderr());
        assertEquals(List.of("true"), ban.lines());
        assertEquals(List.of(new Listed(spammer.publicKey().hex(), "spam, twice")), storage.moderation().bannedPubkeys());
        assertEquals(List.of("[{\"pubkey\":\"" + spammer.publicKey().hex() + "\",\"reason\":\"spam, twice\"}]"),
                asAdmin("listbannedpubkeys").lines());

        assertEquals(List.of("true"), asAdmin("allowkind", "1").lines());
        assertEquals(List.of("true"), asAdmin("allowkind", "30023").lines());
        assertEquals(List.of("[1,30023]"), asAdmin("listallowedkinds").lines());

        // --sec (hex) instead of the environment; UTF-8 through the script's arguments and the relay.
        BinScript.Result rename = BinScript.run("parrhesia", null, Map.of(), "admin", "changerelayname", "Relay \u00c4\u00df",
                "--sec", admin.toHex(), "--relay", relay.url().replace("ws://", "http://"));
        assertEquals(0, rename.exitCode(), rename.stderr());
        HttpResponse<String> doc = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(relay.url().replace("ws://", "http://"))).header("Accept", "application/nostr+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("Relay \u00c4\u00df", JsonTree.object(doc.body()).get("name"));

        assertEquals(List.of("true"), asAdmin("createrole", "mod", "Moderator", "", "#00ff00", "3").lines());
        assertEquals(List.of(new GroupStore.Role("mod", "Moderator", "", "#00ff00", 3)),
                storage.groups().roles(GroupStore.RELAY));
        BinScript.Result json = asAdmin("editrole", "--params-json", "[\"mod\", null, null, null, 9]");
        assertEquals(0, json.exitCode(), json.stderr());
        assertEquals(9, storage.groups().roles(GroupStore.RELAY).getFirst().order());
    }

    @Test
    void nip86ErrorAnswersExitOneUsageTwoAndUnreachableThree() throws Exception {
        SecretKey stranger = SecretKey.generate();
        BinScript.Result forbidden = admin(Map.of("NOSTR_SECRET_KEY", stranger.toHex()), "listbannedpubkeys");
        assertEquals(1, forbidden.exitCode());
        assertTrue(forbidden.stderr().strip().startsWith("parrhesia admin: HTTP 403: forbidden: "), forbidden.stderr());

        BinScript.Result unknown = asAdmin("frobnicate", "x");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.stderr().contains("HTTP 400: unknown method 'frobnicate'"), unknown.stderr());

        BinScript.Result badKind = asAdmin("allowkind", "many");
        assertEquals(2, badKind.exitCode());
        assertTrue(badKind.stderr().contains("kind must be a number"), badKind.stderr());
        BinScript.Result tooMany = asAdmin("unblockip", "127.0.0.1", "extra");
        assertEquals(2, tooMany.exitCode());
        assertTrue(tooMany.stderr().contains("usage: parrhesia admin unblockip [ip]"), tooMany.stderr());
        BinScript.Result noKey = admin(Map.of("NOSTR_SECRET_KEY", ""), "supportedmethods");
        assertEquals(2, noKey.exitCode());
        assertTrue(noKey.stderr().contains("NOSTR_SECRET_KEY"), noKey.stderr());
        BinScript.Result badUrl = BinScript.run("parrhesia", null, Map.of("NOSTR_SECRET_KEY", admin.toHex()), "admin",
                "supportedmethods", "--relay", "ftp://relay.example.com/");
        assertEquals(2, badUrl.exitCode());

        String dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = "ws://127.0.0.1:" + s.getLocalPort() + "/";
        }
        BinScript.Result unreachable = BinScript.run("parrhesia", null, Map.of("NOSTR_SECRET_KEY", admin.toHex()), "admin",
                "supportedmethods", "--relay", dead, "--timeout", "5");
        assertEquals(3, unreachable.exitCode(), unreachable.stderr());
        assertTrue(unreachable.stderr().contains("connection refused"), unreachable.stderr());
        assertEquals(List.of(), storage.moderation().bannedPubkeys(), "nothing changed");
    }
}
