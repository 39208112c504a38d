package nostr.signer.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostr.Signer;

import nostr.core.Hex;
import nostr.core.event.Canonical;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.signer.cli.SignerClient;
import nostr.signer.testing.Await;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.SignerHarness;

/**
 * The approval flow of the signer API ("ACL and Approval Flow"): ApprovalRequested/ApprovalCompleted
 * signals, ApproveRequest answered by another client while the request blocks, denial and timeout as
 * ApprovalDenied, remembered decisions with TTL (0 = forever) per app, identity and kind, always-confirm
 * kinds, and D-Bus dispatch staying responsive while requests wait.
 */
class SignerApprovalTest {
    @TempDir
    static Path dir;
    static SignerHarness h;
    static SignerClient approver;
    static SecretKey key;
    static final LinkedBlockingQueue<Signer.ApprovalRequested> requested = new LinkedBlockingQueue<>();
    static final LinkedBlockingQueue<Signer.ApprovalCompleted> completed = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        h = SignerHarness.start(dir, SignerHarness.Options.keyring()
                .set("auto-approve-kinds", "1")
                .set("always-confirm-kinds", "4, 30023")
                .set("approval-timeout-sec", "3")
                .set("remember-approvals", "true"));
        key = SecretKey.generate();
        h.client.signer().StoreKey(key.toHex(), "approval-key");
        approver = SignerClient.connect(h.bus.address());
        approver.bus().addSigHandler(Signer.ApprovalRequested.class, requested::add);
        approver.bus().addSigHandler(Signer.ApprovalCompleted.class, completed::add);
    }

    @AfterAll
    static void stop() {
        if (approver != null) {
            approver.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void clearSignals() {
        Await.until("no request is pending", Duration.ofSeconds(10), () -> h.client.control().ListPendingRequests().equals("[]"));
        requested.clear();
        completed.clear();
    }

    static String event(int kind, String content) {
        return "{\"kind\":" + kind + ",\"created_at\":1706054400,\"tags\":[],\"content\":\"" + content + "\"}";
    }

    static CompletableFuture<String> signAsync(String json, String appId) {
        return CompletableFuture.supplyAsync(() -> h.client.signer().SignEvent(json, "", appId),
                r -> Thread.ofVirtual().start(r));
    }

    static Signer.ApprovalRequested nextRequest() throws InterruptedException {
        Signer.ApprovalRequested r = requested.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "no ApprovalRequested signal arrived");
        return r;
    }

    static Signer.ApprovalCompleted nextCompleted() throws InterruptedException {
        Signer.ApprovalCompleted c = completed.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no ApprovalCompleted signal arrived");
        return c;
    }

    static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    static boolean verifies(String sig, int kind, String content) {
        String pub = key.publicKey().hex();
        String id = Hex.encode(Canonical.id(pub, 1706054400L, kind, List.of(), content));
        return new Event(id, pub, 1706054400L, kind, List.of(), content, sig, "{}").isValid();
    }

    @Test
    void autoApprovedKindSignsWithoutAsking() {
        String sig = h.client.signer().SignEvent(event(1, "auto"), "", "auto-app");
        assertTrue(verifies(sig, 1, "auto"));
    }

    @Test
    void approvalRequestedSignalThenApproveRequestFromAnotherClientSigns() throws Exception {
        CompletableFuture<String> pending = signAsync(event(30000, "needs a yes"), "flow-app");
        Signer.ApprovalRequested r = nextRequest();
        assertEquals("flow-app", r.appId);
        assertEquals(key.publicKey().npub(), r.identity);
        assertEquals("event", r.kind);
        assertEquals("kind 30000: needs a yes", r.preview);
        // The daemon keeps answering while the request waits.
        assertEquals(List.of(key.publicKey().npub()), h.gdbus.call("GetPublicKey").values());
        List<Object> listed = (List<Object>) JsonTree.parse(h.gdbus.call("org.nostr.Signer.Control.ListPendingRequests").string(0));
        assertEquals(r.requestId, ((Map<?, ?>) listed.getFirst()).get("request_id"));
        assertEquals("30000", ((Map<?, ?>) listed.getFirst()).get("acl_kind"));
        assertEquals(List.of(true), h.gdbus.call("ApproveRequest", Gdbus.str(r.requestId), "true", "false", "uint64 0").values());
        assertTrue(verifies(pending.get(20, TimeUnit.SECONDS), 30000, "needs a yes"));
        Signer.ApprovalCompleted c = nextCompleted();
        assertEquals(r.requestId, c.requestId);
        assertTrue(c.decision);
        assertEquals(List.of(false), h.gdbus.call("ApproveRequest", Gdbus.str(r.requestId), "true", "false", "uint64 0").values());
    }

    @Test
    void denialIsApprovalDenied() throws Exception {
        CompletableFuture<String> pending = signAsync(event(30001, "say no"), "deny-app");
        Signer.ApprovalRequested r = nextRequest();
        assertTrue(approver.signer().ApproveRequest(r.requestId, false, false, new UInt64(0)));
        assertTrue(failure(pending) instanceof Signer.Error.ApprovalDenied);
        Signer.ApprovalCompleted c = nextCompleted();
        assertEquals(r.requestId, c.requestId);
        assertFalse(c.decision);
    }

    @Test
    void noAnswerWithinTheTimeoutIsApprovalDenied() throws Exception {
        Gdbus.Result result = h.gdbus.call("SignEvent", Gdbus.str(event(30002, "nobody answers")), Gdbus.str(""), Gdbus.str(""));
        assertEquals("org.nostr.Signer.Error.ApprovalDenied", result.errorName());
        Signer.ApprovalRequested r = nextRequest();
        assertEquals("/usr/bin/gdbus", r.appId, "app_id defaults to the caller's executable");
        Signer.ApprovalCompleted c = nextCompleted();
        assertEquals(r.requestId, c.requestId);
        assertFalse(c.decision);
    }

    @Test
    void rememberedApprovalLastsItsTtlThenAsksAgain() throws Exception {
        CompletableFuture<String> first = signAsync(event(30003, "one"), "ttl-app");
        Signer.ApprovalRequested r = nextRequest();
        assertTrue(approver.signer().ApproveRequest(r.requestId, true, true, new UInt64(60)));
        assertTrue(verifies(first.get(20, TimeUnit.SECONDS), 30003, "one"));
        nextCompleted();
        // Remembered: signs at once (an unanswered prompt would end in ApprovalDenied).
        assertTrue(verifies(h.client.signer().SignEvent(event(30003, "two"), "", "ttl-app"), 30003, "two"));
        assertTrue(requested.isEmpty());
        // Only for that app and kind.
        CompletableFuture<String> otherKind = signAsync(event(30004, "other kind"), "ttl-app");
        approver.signer().ApproveRequest(nextRequest().requestId, false, false, new UInt64(0));
        assertTrue(failure(otherKind) instanceof Signer.Error.ApprovalDenied);
        nextCompleted();
        // The decision is in the policy file, mode 0600.
        String policy = Files.readString(h.config.policyFile());
        assertTrue(policy.contains("\"app\":\"ttl-app\"") && policy.contains("\"kind\":\"30003\""), policy);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(h.config.policyFile())));
        // After the TTL the user is asked again.
        h.clock.advance(Duration.ofSeconds(61));
        CompletableFuture<String> third = signAsync(event(30003, "three"), "ttl-app");
        Signer.ApprovalRequested again = nextRequest();
        assertEquals("ttl-app", again.appId);
        approver.signer().ApproveRequest(again.requestId, false, false, new UInt64(0));
        assertTrue(failure(third) instanceof Signer.Error.ApprovalDenied);
    }

    @Test
    void ttlZeroRemembersForever() throws Exception {
        CompletableFuture<String> first = signAsync(event(30005, "forever"), "forever-app");
        approver.signer().ApproveRequest(nextRequest().requestId, true, true, new UInt64(0));
        first.get(20, TimeUnit.SECONDS);
        h.clock.advance(Duration.ofDays(3650));
        assertTrue(verifies(h.client.signer().SignEvent(event(30005, "later"), "", "forever-app"), 30005, "later"));
    }

    @Test
    void rememberedDenialRefusesWithoutAsking() throws Exception {
        CompletableFuture<String> first = signAsync(event(30006, "never"), "never-app");
        approver.signer().ApproveRequest(nextRequest().requestId, false, true, new UInt64(3600));
        failure(first);
        nextCompleted();
        DBusExecutionException e = assertThrows(Signer.Error.ApprovalDenied.class,
                () -> h.client.signer().SignEvent(event(30006, "again"), "", "never-app"));
        assertTrue(e.getMessage().contains("remembered"), e.getMessage());
        assertTrue(requested.isEmpty());
    }

    @Test
    void alwaysConfirmKindAsksEvenAfterRemember() throws Exception {
        CompletableFuture<String> first = signAsync(event(4, "dm"), "dm-app");
        approver.signer().ApproveRequest(nextRequest().requestId, true, true, new UInt64(0));
        assertTrue(verifies(first.get(20, TimeUnit.SECONDS), 4, "dm"));
        CompletableFuture<String> second = signAsync(event(4, "dm2"), "dm-app");
        Signer.ApprovalRequested r = nextRequest();
        assertEquals("kind 4: dm2", r.preview);
        approver.signer().ApproveRequest(r.requestId, true, false, new UInt64(0));
        assertTrue(verifies(second.get(20, TimeUnit.SECONDS), 4, "dm2"));
    }

    @Test
    void aCallerCannotApproveItsOwnRequest() throws Exception {
        CompletableFuture<String> pending = signAsync(event(30007, "self"), "self-app");
        Signer.ApprovalRequested r = nextRequest();
        assertThrows(Signer.Error.PermissionDenied.class,
                () -> h.client.signer().ApproveRequest(r.requestId, true, false, new UInt64(0)));
        approver.signer().ApproveRequest(r.requestId, true, false, new UInt64(0));
        assertTrue(verifies(pending.get(20, TimeUnit.SECONDS), 30007, "self"));
    }

    @Test
    void encryptionAsksForTheEncryptKind() throws Exception {
        SecretKey peer = SecretKey.generate();
        CompletableFuture<String> pending = CompletableFuture.supplyAsync(
                () -> h.client.signer().NIP44Encrypt("hello", peer.publicKey().hex(), ""), r -> Thread.ofVirtual().start(r));
        Signer.ApprovalRequested r = nextRequest();
        assertEquals("encrypt", r.kind);
        assertTrue(r.preview.startsWith("NIP-44 to npub1"), r.preview);
        approver.signer().ApproveRequest(r.requestId, true, false, new UInt64(0));
        assertTrue(pending.get(20, TimeUnit.SECONDS).startsWith("A"));
    }

    @Test
    void manyWaitingRequestsLeaveDispatchFree() throws Exception {
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            waiting.add(signAsync(event(31000 + i, "n" + i), "many-app"));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(nextRequest().requestId);
        }
        assertEquals(12, ((List<?>) JsonTree.parse(h.client.control().ListPendingRequests())).size());
        assertEquals(List.of(key.publicKey().npub()), h.gdbus.call("GetPublicKey").values());
        for (String id : ids) {
            assertTrue(approver.signer().ApproveRequest(id, true, false, new UInt64(0)));
        }
        for (int i = 0; i < 12; i++) {
            assertTrue(verifies(waiting.get(i).get(20, TimeUnit.SECONDS), 31000 + i, "n" + i));
        }
    }
}
