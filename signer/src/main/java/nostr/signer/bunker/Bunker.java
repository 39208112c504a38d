package nostr.signer.bunker;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.PublicKey;
import nostr.signer.approval.AccessPolicy;
import nostr.signer.approval.AclKind;
import nostr.signer.approval.PendingApproval;
import nostr.signer.files.JsonData;
import nostr.signer.keys.Identity;
import nostr.signer.keys.KeyVault;
import nostr.signer.ops.KeyOperations;
import nostr.signer.ops.SignerException;
import nostr.signer.ratelimit.AuthFailureLimiter;

/**
 * The NIP-46 remote signer as a plain object: a kind 24133 request event goes in, response events
 * come out through a callback (usually one; two when an {@code auth_url} challenge precedes the
 * answer). No sockets here: {@link BunkerRelayLink} feeds it from relays, tests feed it directly.
 *
 * <p>Requests are NIP-44 encrypted, or NIP-04 (content with {@code ?iv=}), and answered in the same
 * scheme. {@code connect} opens a session: with a single-use {@code bunker://} secret at once, for a
 * client in {@code bunker-allowed-pubkeys} at once, otherwise after the user approves (a remembered
 * {@code connect} decision counts); wrong secrets feed the brute-force limiter. Every other method
 * needs an ACTIVE session (ping excepted); sessions idle longer than the client session timeout
 * expire. What a session's permissions ({@code method[:kind]}) do not cover goes through the access
 * policy: bunker auto-approve kinds, remembered decisions, or a user prompt. Unknown methods and
 * methods outside {@code bunker-allowed-methods} get an error reply.
 */
public final class Bunker {
    private static final Logger LOG = LoggerFactory.getLogger(Bunker.class);
    public static final int KIND = 24133;
    private static final int SEEN_IDS = 4096;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** An event to publish and where. */
    public record Outgoing(Event event, List<String> relays) {}

    /** Bunker settings from the config. */
    public record Settings(List<String> relays, Set<String> allowedPubkeys, Set<String> allowedMethods,
                           String authUrlTemplate, Duration secretTtl) {
        public Settings {
            relays = List.copyOf(relays);
            allowedPubkeys = Set.copyOf(allowedPubkeys);
            allowedMethods = Set.copyOf(allowedMethods);
        }
    }

    private final KeyOperations ops;
    private final AccessPolicy policy;
    private final SessionStore sessions;
    private final SecretRegistry secrets;
    private final AuthFailureLimiter limiter;
    private final Settings settings;
    private final InstantSource clock;
    private final Set<String> seen = new LinkedHashSet<>();

    public Bunker(KeyOperations ops, AccessPolicy policy, SessionStore sessions, SecretRegistry secrets,
                  AuthFailureLimiter limiter, Settings settings, InstantSource clock) {
        this.ops = ops;
        this.policy = policy;
        this.sessions = sessions;
        this.secrets = secrets;
        this.limiter = limiter;
        this.settings = settings;
        this.clock = clock;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public Settings settings() {
        return settings;
    }

    private KeyVault vault() {
        return ops.vault();
    }

    /** The pubkeys requests may be addressed to: every identity we hold. */
    public List<String> signerPubkeys() {
        return vault().identities().stream().map(Identity::pubkey).toList();
    }

    /** A {@code bunker://} URI for an identity, with a fresh single-use secret. */
    public String createBunkerUri(String selector, Permissions perms) {
        if (settings.relays().isEmpty()) {
            throw SignerException.invalidInput("bunker-relays is empty: configure at least one relay");
        }
        Identity id = vault().resolve(selector);
        String secret = secrets.issue(id.pubkey(), perms, settings.secretTtl());
        return new ConnectionUris.BunkerUri(id.pubkey(), settings.relays(), secret).format();
    }

    /**
     * Accepts a {@code nostrconnect://} URI: the user chose this client, so its session is ACTIVE at
     * once with the permissions the URI asks for, and the connect response (whose result is the URI's
     * secret) goes to the client's relays.
     */
    public Outgoing acceptNostrConnect(String uri, String selector) {
        ConnectionUris.NostrConnectUri u;
        try {
            u = ConnectionUris.NostrConnectUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw SignerException.invalidInput(e.getMessage());
        }
        if (!settings.allowedPubkeys().isEmpty() && !settings.allowedPubkeys().contains(u.clientPubkey())) {
            throw SignerException.permissionDenied("client " + u.clientPubkey() + " is not in bunker-allowed-pubkeys");
        }
        Identity id = vault().resolve(selector);
        long now = clock.instant().getEpochSecond();
        ClientSession s = new ClientSession(u.clientPubkey(), id.pubkey(), SessionState.ACTIVE,
                Permissions.parse(u.perms()), u.relays(), u.name(), now, now);
        sessions.put(s);
        byte[] rnd = new byte[8];
        RANDOM.nextBytes(rnd);
        String requestId = java.util.HexFormat.of().formatHex(rnd);
        Event response = respond(id, u.clientPubkey(), false, Nip46Message.result(requestId, u.secret()));
        LOG.info("accepted nostrconnect client {} ({})", u.clientPubkey(), u.name());
        return new Outgoing(response, u.relays());
    }

    /**
     * Handles one request event. Events that are not for us, do not verify, do not decrypt, or were
     * handled before produce nothing; everything else produces at least one response.
     *
     * @param arrivedOn the relay the event came from (answered there too), or null
     */
    public void handle(Event request, String arrivedOn, Consumer<Outgoing> out) {
        if (request.kind() != KIND || !firstTime(request.id())) {
            return;
        }
        Identity id = addressee(request);
        if (id == null) {
            return;
        }
        if (!request.isValid()) {
            LOG.debug("dropping NIP-46 request {} with a bad id or signature", request.id());
            return;
        }
        String client = request.pubkey();
        boolean nip04 = request.content().contains("?iv=");
        String plaintext;
        try {
            PublicKey peer = new PublicKey(client);
            plaintext = nip04 ? ops.nip04Decrypt(id, request.content(), peer) : ops.nip44Decrypt(id, request.content(), peer);
        } catch (SignerException | IllegalArgumentException e) {
            LOG.debug("dropping NIP-46 request {} that does not decrypt: {}", request.id(), e.getMessage());
            return;
        }
        Nip46Message.Request req;
        try {
            req = Nip46Message.parseRequest(plaintext);
        } catch (Nip46Message.BadRequest e) {
            if (e.id() != null) {
                send(out, id, client, nip04, Nip46Message.error(e.id(), e.getMessage()), arrivedOn);
            }
            return;
        }
        String reply;
        boolean succeeded = false;
        try {
            reply = Nip46Message.result(req.id(), dispatch(req, id, client, nip04, arrivedOn, out));
            succeeded = true;
        } catch (SignerException e) {
            reply = Nip46Message.error(req.id(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("NIP-46 {} from {} failed", req.method(), client, e);
            reply = Nip46Message.error(req.id(), "internal error");
        }
        send(out, id, client, nip04, reply, arrivedOn);
        if (succeeded && req.method().equals("logout")) {
            // NIP-46: reply "ack" before removing the session.
            sessions.revoke(client);
        }
    }

    private synchronized boolean firstTime(String eventId) {
        if (!seen.add(eventId)) {
            return false;
        }
        if (seen.size() > SEEN_IDS) {
            var it = seen.iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    private Identity addressee(Event request) {
        List<String> ours = signerPubkeys();
        for (String p : request.tagValues("p")) {
            if (ours.contains(p)) {
                return vault().resolve(p);
            }
        }
        return null;
    }

    private String dispatch(Nip46Message.Request req, Identity id, String client, boolean nip04, String arrivedOn,
                            Consumer<Outgoing> out) {
        if (!nostr.signer.config.SignerConfig.NIP46_METHODS.contains(req.method())) {
            throw SignerException.invalidInput("unknown method: " + req.method());
        }
        if (!settings.allowedMethods().contains(req.method())) {
            throw SignerException.permissionDenied("method " + req.method() + " is not allowed by this signer");
        }
        if (!settings.allowedPubkeys().isEmpty() && !settings.allowedPubkeys().contains(client)) {
            throw SignerException.permissionDenied("client " + client + " is not allowed by this signer");
        }
        if (req.method().equals("connect")) {
            return connect(req, id, client, nip04, arrivedOn, out);
        }
        if (req.method().equals("ping")) {
            return "pong";
        }
        ClientSession session = activeSession(client, id);
        switch (req.method()) {
            case "get_public_key" -> {
                return id.pubkey();
            }
            case "switch_relays" -> {
                return settings.relays().isEmpty() ? "null" : JsonData.write(new ArrayList<Object>(settings.relays()));
            }
            case "logout" -> {
                return "ack";
            }
            case "sign_event" -> {
                KeyOperations.SignRequest sr = ops.prepareSign(req.param(0), id.pubkey());
                int kind = sr.template().kind();
                authorize(session, req, id, "sign_event", kind, "event", AclKind.event(kind),
                        "kind " + kind + ": " + sr.template().content(), nip04, arrivedOn, out);
                return ops.sign(sr).json();
            }
            case "nip04_encrypt", "nip44_encrypt" -> {
                PublicKey peer = KeyOperations.peer(req.param(0));
                authorize(session, req, id, req.method(), -1, "encrypt", AclKind.ENCRYPT,
                        "encrypt for " + peer.npub() + ": " + req.param(1), nip04, arrivedOn, out);
                return req.method().equals("nip04_encrypt") ? ops.nip04Encrypt(id, req.param(1), peer)
                        : ops.nip44Encrypt(id, req.param(1), peer);
            }
            case "nip04_decrypt", "nip44_decrypt" -> {
                PublicKey peer = KeyOperations.peer(req.param(0));
                authorize(session, req, id, req.method(), -1, "decrypt", AclKind.DECRYPT,
                        "decrypt from " + peer.npub(), nip04, arrivedOn, out);
                return req.method().equals("nip04_decrypt") ? ops.nip04Decrypt(id, req.param(1), peer)
                        : ops.nip44Decrypt(id, req.param(1), peer);
            }
            default -> throw SignerException.invalidInput("unknown method: " + req.method());
        }
    }

    private ClientSession activeSession(String client, Identity id) {
        Optional<ClientSession> s = sessions.get(client, id.pubkey());
        if (s.isEmpty() || s.get().state() == SessionState.REVOKED) {
            throw SignerException.permissionDenied("not connected: send connect first");
        }
        return switch (s.get().state()) {
            case ACTIVE -> sessions.touch(s.get());
            case EXPIRED -> throw SignerException.locked("session expired after "
                    + "inactivity: connect again");
            case PENDING -> throw SignerException.permissionDenied("connection is waiting for approval");
            case REVOKED -> throw SignerException.permissionDenied("not connected: send connect first");
        };
    }

    private void authorize(ClientSession session, Nip46Message.Request req, Identity id, String method, int kind,
                           String requestKind, String aclKind, String preview, boolean nip04, String arrivedOn,
                           Consumer<Outgoing> out) {
        if (!policy.alwaysConfirms(aclKind) && session.permissions().allows(method, kind)) {
            return;
        }
        String who = session.name().isEmpty() ? session.appId() : session.name() + " (" + session.appId() + ")";
        policy.check(session.appId(), id.npub(), requestKind, aclKind, who + ": " + preview, session.appId(),
                pending -> challenge(pending, req, id, session.clientPubkey(), nip04, arrivedOn, out));
    }

    private void challenge(PendingApproval pending, Nip46Message.Request req, Identity id, String client, boolean nip04,
                           String arrivedOn, Consumer<Outgoing> out) {
        if (settings.authUrlTemplate().isEmpty()) {
            return;
        }
        String url = settings.authUrlTemplate().replace("{request_id}", pending.requestId()).replace("{client}", client);
        send(out, id, client, nip04, Nip46Message.authUrl(req.id(), url), arrivedOn);
    }

    private String connect(Nip46Message.Request req, Identity id, String client, boolean nip04, String arrivedOn,
                           Consumer<Outgoing> out) {
        String target = req.param(0);
        if (!target.isEmpty() && !target.equalsIgnoreCase(id.pubkey())) {
            throw SignerException.invalidInput("connect names remote signer " + target + ", not " + id.pubkey());
        }
        long wait = limiter.lockedForMillis(client);
        if (wait > 0) {
            throw SignerException.rateLimited("too many failed connection attempts; retry in " + (wait + 999) / 1000 + " s");
        }
        String secret = req.param(1);
        String name = clientName(req.param(3));
        long now = clock.instant().getEpochSecond();
        List<String> relays = arrivedOn == null ? settings.relays() : List.of(arrivedOn);
        Permissions perms;
        if (!secret.isEmpty()) {
            Optional<Permissions> granted = secrets.consume(secret, id.pubkey());
            if (granted.isEmpty()) {
                Duration lockout = limiter.failure(client);
                throw SignerException.permissionDenied("invalid or already used secret"
                        + (lockout.isZero() ? "" : "; locked out for " + lockout.toSeconds() + " s"));
            }
            perms = granted.get();
        } else if (settings.allowedPubkeys().contains(client)) {
            perms = Permissions.parse(req.param(2));
        } else {
            Permissions requested = Permissions.parse(req.param(2));
            ClientSession pendingSession = new ClientSession(client, id.pubkey(), SessionState.PENDING, requested,
                    relays, name, now, now);
            Optional<ClientSession> previous = sessions.get(client, id.pubkey());
            sessions.put(pendingSession);
            try {
                policy.check(pendingSession.appId(), id.npub(), "connect", AclKind.CONNECT,
                        "connect " + (name.isEmpty() ? client : name) + " perms: "
                                + (requested.entries().isEmpty() ? "none" : requested.format()),
                        pendingSession.appId(),
                        pending -> challenge(pending, req, id, client, nip04, arrivedOn, out));
            } catch (SignerException e) {
                if (previous.isPresent()) {
                    sessions.put(previous.get().withState(SessionState.REVOKED));
                } else {
                    sessions.put(pendingSession.withState(SessionState.REVOKED));
                }
                if (e.reason() == SignerException.Reason.APPROVAL_DENIED) {
                    limiter.failure(client);
                }
                throw e;
            }
            perms = requested;
        }
        limiter.success(client);
        sessions.put(new ClientSession(client, id.pubkey(), SessionState.ACTIVE, perms, relays, name, now, now));
        LOG.info("NIP-46 client {} connected to {}", client, id.npub());
        return "ack";
    }

    private static String clientName(String metadataJson) {
        if (metadataJson.isEmpty()) {
            return "";
        }
        try {
            Map<String, Object> m = JsonData.parseObject(metadataJson);
            String n = JsonData.string(m, "name", "");
            return n.length() > 64 ? n.substring(0, 64) : n;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private void send(Consumer<Outgoing> out, Identity id, String client, boolean nip04, String json, String arrivedOn) {
        Event e = respond(id, client, nip04, json);
        LinkedHashSet<String> relays = new LinkedHashSet<>();
        if (arrivedOn != null) {
            relays.add(arrivedOn);
        }
        sessions.get(client, id.pubkey()).ifPresent(s -> relays.addAll(s.relays()));
        if (relays.isEmpty()) {
            relays.addAll(settings.relays());
        }
        out.accept(new Outgoing(e, List.copyOf(relays)));
    }

    private Event respond(Identity id, String client, boolean nip04, String json) {
        PublicKey peer = new PublicKey(client);
        String content = nip04 ? ops.nip04Encrypt(id, json, peer) : ops.nip44Encrypt(id, json, peer);
        EventTemplate t = new EventTemplate(clock.instant().getEpochSecond(), KIND, List.of(List.of("p", client)), content);
        return vault().withKey(id, t::sign);
    }

    /** Sessions as JSON for the CLI. */
    public String sessionsJson() {
        List<Object> list = new ArrayList<>();
        for (ClientSession s : sessions.list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client_pubkey", s.clientPubkey());
            m.put("signer_pubkey", s.signerPubkey());
            m.put("state", s.state().name());
            m.put("perms", s.permissions().format());
            m.put("name", s.name());
            m.put("relays", new ArrayList<Object>(s.relays()));
            m.put("created_at", s.createdAt());
            m.put("last_seen", s.lastSeen());
            list.add(m);
        }
        return JsonData.write(list);
    }
}
