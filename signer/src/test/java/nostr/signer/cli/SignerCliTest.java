package nostr.signer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostr.Signer;

import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.signer.SignerMain;
import nostr.signer.testing.Await;
import nostr.signer.testing.SignerHarness;

/**
 * The nostr-signer CLI against a running daemon on a private bus: grant and policy (pre-grants for
 * headless machines), the terminal approver (by id, listing, interactive), key management on both
 * key stores, unlock/lock/status, and NIP-46 bunker URIs and sessions.
 */
class SignerCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run cli(SignerHarness h, String stdin, String... args) {
        return cli(h.cliEnv(), stdin, args);
    }

    static Run cli(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null);
        int code = SignerMain.run(args, ctx, null);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static SignerHarness.Options fastDenial() {
        return SignerHarness.Options.keyring().set("approval-timeout-sec", "1").set("auto-approve-kinds", "");
    }

    static CompletableFuture<String> signAsync(SignerHarness h, int kind, String app) {
        return CompletableFuture.supplyAsync(() -> h.client.signer().SignEvent("{\"kind\":" + kind + ",\"content\":\"c\"}", "", app),
                r -> Thread.ofVirtual().start(r));
    }

    static String waitForPendingId(SignerHarness h) {
        Await.until("a request is pending", java.time.Duration.ofSeconds(10),
                () -> !h.client.control().ListPendingRequests().equals("[]"));
        List<Object> pending = (List<Object>) JsonTree.parse(h.client.control().ListPendingRequests());
        return (String) ((Map<?, ?>) pending.getFirst()).get("request_id");
    }

    @Test
    void grantPreGrantsKindsAndPolicyRevokeTakesThemBack() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, fastDenial())) {
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "");
            Run g = cli(h, "", "grant", "headless-app", "--kinds", "30010,encrypt", "--ttl", "0");
            assertEquals(0, g.exit(), g.err());
            assertTrue(g.out().contains("granted headless-app kind 30010 as * forever"), g.out());
            assertEquals(128, h.client.signer().SignEvent("{\"kind\":30010,\"content\":\"x\"}", "", "headless-app").length());
            Run list = cli(h, "", "policy", "list");
            assertTrue(list.out().contains("headless-app\t*\t30010\tallow\tforever"), list.out());
            assertTrue(list.out().contains("headless-app\t*\tencrypt\tallow\tforever"), list.out());
            Run revoke = cli(h, "", "policy", "revoke", "headless-app");
            assertEquals(0, revoke.exit());
            assertTrue(revoke.out().contains("revoked 2 decision(s)"), revoke.out());
            try {
                h.client.signer().SignEvent("{\"kind\":30010,\"content\":\"y\"}", "", "headless-app");
                throw new AssertionError("a revoked grant must not sign");
            } catch (Signer.Error.ApprovalDenied expected) {
                assertTrue(expected.getMessage().contains("denied or no decision"));
            }
            Run deny = cli(h, "", "grant", "bad-app", "--kinds", "1", "--deny", "--ttl", "60");
            assertEquals(0, deny.exit());
            DBusExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(Signer.Error.ApprovalDenied.class,
                    () -> h.client.signer().SignEvent("{\"kind\":1,\"content\":\"z\"}", "", "bad-app"));
            assertTrue(e.getMessage().contains("remembered"), e.getMessage());
            Run bad = cli(h, "", "grant", "x", "--kinds", "banana");
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("'banana' is neither an event kind"), bad.err());
        }
    }

    @Test
    void approveByIdListsAndRemembers() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.keyring().set("approval-timeout-sec", "20"))) {
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "");
            CompletableFuture<String> pending = signAsync(h, 30020, "cli-app");
            String id = waitForPendingId(h);
            Run list = cli(h, "", "approve", "--list");
            assertTrue(list.out().contains(id) && list.out().contains("\"app_id\":\"cli-app\""), list.out());
            Run approve = cli(h, "", "approve", id, "--remember", "--ttl", "600");
            assertEquals(0, approve.exit(), approve.err());
            assertEquals("approved " + id + "\n", approve.out());
            assertEquals(128, pending.get(20, TimeUnit.SECONDS).length());
            assertEquals(128, h.client.signer().SignEvent("{\"kind\":30020,\"content\":\"again\"}", "", "cli-app").length());
            assertEquals(1, cli(h, "", "approve", id).exit(), "an answered request is no longer pending");
        }
    }

    @Test
    void interactiveApproverAnswersFromStandardInput() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.keyring().set("approval-timeout-sec", "20")
                .set("remember-approvals", "true"))) {
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "");
            CompletableFuture<String> first = signAsync(h, 30030, "tty-app");
            waitForPendingId(h);
            Run r = cli(h, "a\n", "approve", "--max", "1", "--ttl", "0");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("app:      tty-app"), r.out());
            assertTrue(r.out().contains("preview:  kind 30030: c"), r.out());
            assertTrue(r.out().contains("approved "), r.out());
            assertEquals(128, first.get(20, TimeUnit.SECONDS).length());
            // "a" = always: remembered forever.
            assertEquals(128, h.client.signer().SignEvent("{\"kind\":30030,\"content\":\"d\"}", "", "tty-app").length());
            CompletableFuture<String> denied = signAsync(h, 30031, "tty-app");
            waitForPendingId(h);
            Run n = cli(h, "n\n", "approve", "--max", "1");
            assertTrue(n.out().contains("denied "), n.out());
            try {
                denied.get(20, TimeUnit.SECONDS);
                throw new AssertionError("denied request signed");
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof Signer.Error.ApprovalDenied);
            }
            // remember-approvals = true: a plain "n" was remembered as well.
            DBusExecutionException again = org.junit.jupiter.api.Assertions.assertThrows(Signer.Error.ApprovalDenied.class,
                    () -> h.client.signer().SignEvent("{\"kind\":30031,\"content\":\"e\"}", "", "tty-app"));
            assertTrue(again.getMessage().contains("remembered"), again.getMessage());
        }
    }

    @Test
    void keyCommandsManageTheKeyringDirectly() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.keyring())) {
            SecretKey k = SecretKey.generate();
            Run imported = cli(h, k.toNsec() + "\n", "key", "import", "--id", "imported", "--label", "Imported key");
            assertEquals(0, imported.exit(), imported.err());
            assertTrue(imported.out().startsWith("imported\t" + k.publicKey().npub() + "\tImported key (secret-service)"),
                    imported.out());
            assertFalse(imported.out().contains(k.toNsec()) || imported.err().contains(k.toNsec()));
            Run generated = cli(h, "", "key", "generate", "--id", "fresh");
            assertEquals(0, generated.exit(), generated.err());
            Run list = cli(h, "", "key", "list");
            assertTrue(list.out().contains("imported\t" + k.publicKey().npub()), list.out());
            assertTrue(list.out().contains("fresh\tnpub1"), list.out());
            // The running daemon sees keys added behind its back.
            assertEquals(128, h.client.signer().SignEvent("{\"kind\":1,\"content\":\"k\"}", "imported", "").length());
            assertEquals(0, cli(h, "", "key", "remove", "imported").exit());
            assertEquals(1, cli(h, "", "key", "remove", "imported").exit());
            Run bad = cli(h, "nsec1garbage\n", "key", "import");
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("invalid key"), bad.err());
        }
    }

    @Test
    void fileStoreKeysUnlockLockAndStatus() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.noKeyring())) {
            SecretKey k = SecretKey.generate();
            Run imported = cli(h, k.toHex() + "\nfile pass\n", "key", "import", "--id", "filed");
            assertEquals(0, imported.exit(), imported.err());
            assertTrue(imported.out().contains("(file)"), imported.out());
            assertTrue(Files.exists(h.config.keysDir().resolve("filed.json")));
            Map<String, Object> status = JsonTree.object(cli(h, "", "status").out());
            assertEquals("file", status.get("backend"));
            assertEquals(true, status.get("locked"));
            assertEquals(1, cli(h, "wrong\n", "unlock").exit());
            Run unlocked = cli(h, "file pass\n", "unlock");
            assertEquals(0, unlocked.exit());
            assertEquals("unlocked\n", unlocked.out());
            assertEquals(128, h.client.signer().SignEvent("{\"kind\":1,\"content\":\"f\"}", "filed", "").length());
            assertEquals("locked\n", cli(h, "", "lock").out());
            assertEquals(true, JsonTree.object(cli(h, "", "status").out()).get("locked"));
            assertEquals(2, cli(h, "wrong\n", "key", "generate").exit(), "a second key needs the same passphrase");
        }
    }

    @Test
    void signerEndpointOverridesTheSessionBus() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.keyring())) {
            Map<String, String> env = new java.util.HashMap<>(h.cliEnv());
            env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.resolve("no-such-socket"));
            assertTrue(cli(env, "", "status").exit() != 0, "the session bus variable points nowhere");
            env.put("NOSTR_SIGNER_ENDPOINT", h.bus.address());
            Run status = cli(env, "", "status");
            assertEquals(0, status.exit(), status.err());
            assertEquals("secret-service", JsonTree.object(status.out()).get("backend"));
        }
    }

    @Test
    void bunkerUriAndSessionsThroughTheDaemon() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.keyring()
                .set("bunker-relays", "ws://127.0.0.1:7777"))) {
            SecretKey k = SecretKey.generate();
            h.client.signer().StoreKey(k.toHex(), "bunkered");
            Run uri = cli(h, "", "bunker", "uri", "--perms", "sign_event:1");
            assertEquals(0, uri.exit(), uri.err());
            assertTrue(uri.out().startsWith("bunker://" + k.publicKey().hex() + "?relay=ws%3A%2F%2F127.0.0.1%3A7777&secret="),
                    uri.out());
            assertEquals("[]\n", cli(h, "", "sessions", "list", "--json").out());
            Run revoke = cli(h, "", "sessions", "revoke", SecretKey.generate().publicKey().hex());
            assertEquals(1, revoke.exit());
            Run connect = cli(h, "", "bunker", "connect", "nostrconnect://" + SecretKey.generate().publicKey().hex()
                    + "?relay=ws%3A%2F%2F127.0.0.1%3A7777&secret=abc");
            assertEquals(1, connect.exit());
            assertTrue(connect.err().contains("bunker is not running"), connect.err());
        }
    }
}
