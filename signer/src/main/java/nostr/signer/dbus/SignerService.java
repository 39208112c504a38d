package nostr.signer.dbus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt64;
import org.nostr.Signer;
import org.nostr.SignerControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nostr.core.event.Event;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.signer.approval.AccessPolicy;
import nostr.signer.approval.AclKind;
import nostr.signer.approval.ApprovalBroker;
import nostr.signer.approval.PendingApproval;
import nostr.signer.bunker.Bunker;
import nostr.signer.bunker.Permissions;
import nostr.signer.config.SignerConfig;
import nostr.signer.files.JsonData;
import nostr.signer.keys.Identity;
import nostr.signer.keys.KeyVault;
import nostr.signer.ops.KeyOperations;
import nostr.signer.ops.SignerException;
import nostr.signer.ratelimit.AuthFailureLimiter;
import nostr.signer.ratelimit.RateLimiter;

/**
 * The object exported at {@code /org/nostr/signer}: the seed's {@link Signer} interface and our
 * {@link SignerControl} extension. Each call identifies its caller through the bus, applies the rate
 * limits and the access policy, runs the operation and turns failures into the D-Bus error names.
 * Calls run on dbus-java's method-call pool; one waiting for approval blocks only its own thread.
 */
public final class SignerService implements Signer, SignerControl {
    private static final Logger LOG = LoggerFactory.getLogger(SignerService.class);

    /** The caller of the current method call. */
    public interface CallerSource {
        Caller current();
    }

    private final CallerSource callers;
    private final SignerConfig config;
    private final KeyOperations ops;
    private final AccessPolicy policy;
    private final ApprovalBroker broker;
    private final RateLimiter signLimiter;
    private final RateLimiter mutationLimiter;
    private final AuthFailureLimiter unlockLimiter;
    private final Bunker bunker;
    private volatile Consumer<Bunker.Outgoing> bunkerPublisher;

    public SignerService(CallerSource callers, SignerConfig config, KeyOperations ops, AccessPolicy policy,
                         ApprovalBroker broker, RateLimiter signLimiter, RateLimiter mutationLimiter,
                         AuthFailureLimiter unlockLimiter, Bunker bunker) {
        this.callers = callers;
        this.config = config;
        this.ops = ops;
        this.policy = policy;
        this.broker = broker;
        this.signLimiter = signLimiter;
        this.mutationLimiter = mutationLimiter;
        this.unlockLimiter = unlockLimiter;
        this.bunker = bunker;
    }

    /** Where nostrconnect responses go once the bunker's relay link runs. */
    public void setBunkerPublisher(Consumer<Bunker.Outgoing> publisher) {
        this.bunkerPublisher = publisher;
    }

    @Override
    public String getObjectPath() {
        return OBJECT_PATH;
    }

    private KeyVault vault() {
        return ops.vault();
    }

    private static <T> T call(String method, Supplier<T> body) {
        try {
            return body.get();
        } catch (SignerException e) {
            LOG.debug("{} failed: {}", method, e.getMessage());
            throw DBusErrors.of(e);
        } catch (DBusExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", method, e);
            throw new Signer.Error.Internal(method + " failed: " + e.getMessage());
        }
    }

    // ---- org.nostr.Signer

    @Override
    public String GetPublicKey() {
        return call("GetPublicKey", () -> {
            callers.current();
            return vault().resolve("").npub();
        });
    }

    @Override
    public String SignEvent(String eventJson, String currentUser, String appId) {
        return call("SignEvent", () -> {
            Caller caller = callers.current();
            signLimiter.acquire(caller.sender());
            KeyOperations.SignRequest req = ops.prepareSign(eventJson, currentUser);
            int kind = req.template().kind();
            String app = caller.appId(appId);
            AccessPolicy.Grant grant = policy.check(app, req.identity().npub(), "event", AclKind.event(kind),
                    "kind " + kind + ": " + req.template().content(), caller.sender());
            Event signed = ops.sign(req);
            LOG.info("signed kind {} for {} as {} ({})", kind, app, req.identity().keyId(), grant);
            return signed.sig();
        });
    }

    private record Crypto(Identity identity, PublicKey peer) {}

    private Crypto crypto(String requestKind, String aclKind, String peerPubkey, String currentUser, String preview) {
        Caller caller = callers.current();
        PublicKey peer = KeyOperations.peer(peerPubkey);
        Identity id = vault().resolve(currentUser);
        policy.check(caller.appId(""), id.npub(), requestKind, aclKind, preview.replace("{peer}", peer.npub()),
                caller.sender());
        return new Crypto(id, peer);
    }

    @Override
    public String NIP44Encrypt(String plaintext, String peerPubkey, String currentUser) {
        return call("NIP44Encrypt", () -> {
            Crypto c = crypto("encrypt", AclKind.ENCRYPT, peerPubkey, currentUser, "NIP-44 to {peer}: " + plaintext);
            return ops.nip44Encrypt(c.identity(), plaintext, c.peer());
        });
    }

    @Override
    public String NIP44Decrypt(String ciphertext, String peerPubkey, String currentUser) {
        return call("NIP44Decrypt", () -> {
            Crypto c = crypto("decrypt", AclKind.DECRYPT, peerPubkey, currentUser, "NIP-44 from {peer}");
            return ops.nip44Decrypt(c.identity(), ciphertext, c.peer());
        });
    }

    @Override
    public String NIP44EncryptB64(String plaintextB64, String peerPubkey, String currentUser) {
        return call("NIP44EncryptB64", () -> {
            Crypto c = crypto("encrypt", AclKind.ENCRYPT, peerPubkey, currentUser,
                    "NIP-44 bytes to {peer} (" + plaintextB64.length() + " base64 chars)");
            return ops.nip44EncryptB64(c.identity(), plaintextB64, c.peer());
        });
    }

    @Override
    public String NIP44DecryptB64(String ciphertext, String peerPubkey, String currentUser) {
        return call("NIP44DecryptB64", () -> {
            Crypto c = crypto("decrypt", AclKind.DECRYPT, peerPubkey, currentUser, "NIP-44 bytes from {peer}");
            return ops.nip44DecryptB64(c.identity(), ciphertext, c.peer());
        });
    }

    @Override
    public String NIP04Encrypt(String plaintext, String peerPubkey, String currentUser) {
        return call("NIP04Encrypt", () -> {
            Crypto c = crypto("encrypt", AclKind.ENCRYPT, peerPubkey, currentUser, "NIP-04 to {peer}: " + plaintext);
            return ops.nip04Encrypt(c.identity(), plaintext, c.peer());
        });
    }

    @Override
    public String NIP04Decrypt(String ciphertext, String peerPubkey, String currentUser) {
        return call("NIP04Decrypt", () -> {
            Crypto c = crypto("decrypt", AclKind.DECRYPT, peerPubkey, currentUser, "NIP-04 from {peer}");
            return ops.nip04Decrypt(c.identity(), ciphertext, c.peer());
        });
    }

    @Override
    public String DecryptZapEvent(String eventJson, String currentUser) {
        return call("DecryptZapEvent", () -> {
            Caller caller = callers.current();
            Identity id = vault().resolve(currentUser);
            policy.check(caller.appId(""), id.npub(), "decrypt", AclKind.DECRYPT, "private zap content", caller.sender());
            return ops.decryptZap(eventJson, id.pubkey());
        });
    }

    @Override
    public String GetRelays() {
        return call("GetRelays", () -> {
            callers.current();
            return JsonData.write(new ArrayList<Object>(config.relays()));
        });
    }

    private void requireMutations(Caller caller) {
        if (!config.allowKeyMutations()) {
            throw SignerException.permissionDenied(
                    "key mutations are disabled: start the daemon with NOSTR_SIGNER_ALLOW_KEY_MUTATIONS=1");
        }
        mutationLimiter.acquire(caller.sender());
    }

    @Override
    public StoredKey<Boolean, String> StoreKey(String key, String identity) {
        return call("StoreKey", () -> {
            Caller caller = callers.current();
            requireMutations(caller);
            SecretKey sk;
            try {
                sk = SecretKey.parse(key == null ? "" : key);
            } catch (IllegalArgumentException e) {
                throw SignerException.invalidKey("invalid private key: " + e.getMessage());
            }
            try {
                String keyId;
                try {
                    keyId = identity == null || identity.isBlank()
                            ? Identity.defaultKeyId(sk.publicKey().hex()) : Identity.checkKeyId(identity.strip());
                } catch (IllegalArgumentException e) {
                    throw SignerException.invalidInput("identity: " + e.getMessage());
                }
                Identity stored = vault().store(sk, keyId, keyId);
                LOG.info("stored key {} ({}) for {}", stored.keyId(), stored.npub(), caller.appId(""));
                return new StoredKey<>(true, stored.npub());
            } finally {
                sk.destroy();
            }
        });
    }

    @Override
    public boolean ClearKey(String identity) {
        return call("ClearKey", () -> {
            Caller caller = callers.current();
            requireMutations(caller);
            boolean removed = vault().delete(identity);
            LOG.info("ClearKey '{}' by {}: {}", identity, caller.appId(""), removed ? "removed" : "not found");
            return removed;
        });
    }

    @Override
    public boolean ApproveRequest(String requestId, boolean decision, boolean remember, UInt64 ttlSeconds) {
        return call("ApproveRequest", () -> {
            Caller caller = callers.current();
            long ttl = ttlSeconds.value().min(java.math.BigInteger.valueOf(Long.MAX_VALUE / 2)).longValue();
            return broker.answer(requestId, new ApprovalBroker.Answer(decision, remember, Duration.ofSeconds(ttl)),
                    caller.sender());
        });
    }

    // ---- org.nostr.Signer.Control

    @Override
    public String ListPendingRequests() {
        return call("ListPendingRequests", () -> {
            callers.current();
            List<Object> out = new ArrayList<>();
            for (PendingApproval p : broker.pending()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("request_id", p.requestId());
                m.put("app_id", p.appId());
                m.put("identity", p.identity());
                m.put("kind", p.kind());
                m.put("acl_kind", p.aclKind());
                m.put("preview", p.preview());
                m.put("created_at", p.createdAt());
                out.add(m);
            }
            return JsonData.write(out);
        });
    }

    @Override
    public String Status() {
        return call("Status", () -> {
            callers.current();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", vault().store().backend());
            m.put("locked", vault().store().isLocked());
            m.put("unlocked_keys", (long) vault().unlockedCount());
            m.put("lock_timeout_sec", vault().lockTimeout().toSeconds());
            List<Object> ids = new ArrayList<>();
            for (Identity i : vault().identities()) {
                Map<String, Object> im = new LinkedHashMap<>();
                im.put("key_id", i.keyId());
                im.put("npub", i.npub());
                im.put("label", i.label());
                im.put("created_at", i.createdAt());
                ids.add(im);
            }
            m.put("identities", ids);
            m.put("pending_requests", (long) broker.pending().size());
            m.put("key_mutations", config.allowKeyMutations());
            m.put("bunker_enabled", config.bunkerEnabled());
            m.put("bunker_relays", new ArrayList<Object>(config.bunkerRelays()));
            return JsonData.write(m);
        });
    }

    @Override
    public boolean Unlock(String passphrase) {
        return call("Unlock", () -> {
            Caller caller = callers.current();
            long wait = unlockLimiter.lockedForMillis(caller.sender());
            if (wait > 0) {
                throw SignerException.rateLimited("too many wrong passphrases; retry in " + (wait + 999) / 1000 + " s");
            }
            boolean ok = vault().unlock(passphrase);
            if (ok) {
                unlockLimiter.success(caller.sender());
            } else {
                unlockLimiter.failure(caller.sender());
            }
            LOG.info("unlock by {}: {}", caller.appId(""), ok ? "ok" : "wrong passphrase");
            return ok;
        });
    }

    @Override
    public boolean Lock() {
        return call("Lock", () -> {
            callers.current();
            vault().lock();
            return true;
        });
    }

    @Override
    public String ListSessions() {
        return call("ListSessions", () -> {
            callers.current();
            return bunker.sessionsJson();
        });
    }

    @Override
    public boolean RevokeSession(String clientPubkey) {
        return call("RevokeSession", () -> {
            callers.current();
            String hex;
            try {
                hex = PublicKey.parse(clientPubkey).hex();
            } catch (IllegalArgumentException e) {
                throw SignerException.invalidInput("client pubkey: " + e.getMessage());
            }
            return bunker.sessions().revoke(hex);
        });
    }

    @Override
    public String CreateBunkerUri(String identity, String perms) {
        return call("CreateBunkerUri", () -> {
            callers.current();
            String selector = identity == null || identity.isBlank() ? config.bunkerIdentity() : identity;
            return bunker.createBunkerUri(selector, Permissions.parse(perms));
        });
    }

    @Override
    public String AcceptNostrConnect(String uri, String identity) {
        return call("AcceptNostrConnect", () -> {
            callers.current();
            Consumer<Bunker.Outgoing> publisher = bunkerPublisher;
            if (publisher == null) {
                throw SignerException.permissionDenied("the NIP-46 bunker is not running (bunker-enabled = false)");
            }
            String selector = identity == null || identity.isBlank() ? config.bunkerIdentity() : identity;
            Bunker.Outgoing out = bunker.acceptNostrConnect(uri, selector);
            publisher.accept(out);
            return out.event().tagValue("p");
        });
    }
}
