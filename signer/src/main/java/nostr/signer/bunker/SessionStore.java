package nostr.signer.bunker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nostr.signer.files.JsonData;
import nostr.signer.files.PrivateFiles;

/**
 * NIP-46 client sessions, kept in memory and persisted to {@code bunker-sessions.json} (0600) on
 * every state change, so sessions survive restarts. An ACTIVE session idle for longer than the
 * client session timeout turns EXPIRED when next looked at. Last-seen times alone are written at
 * most every {@link #LAST_SEEN_WRITE_INTERVAL} to keep the disk quiet under load.
 */
public final class SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final Duration LAST_SEEN_WRITE_INTERVAL = Duration.ofSeconds(30);

    private final Path file;
    private final Duration idleTimeout;
    private final InstantSource clock;
    private final Map<String, ClientSession> sessions = new LinkedHashMap<>();
    private long lastWrite;

    public SessionStore(Path file, Duration idleTimeout, InstantSource clock) {
        this.file = file;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        load();
    }

    private static String key(String client, String signer) {
        return client + "/" + signer;
    }

    /** The session of a client with one of our identities, with idle expiry applied. */
    public synchronized Optional<ClientSession> get(String clientPubkey, String signerPubkey) {
        ClientSession s = sessions.get(key(clientPubkey, signerPubkey));
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(expireIfIdle(s));
    }

    private ClientSession expireIfIdle(ClientSession s) {
        long now = clock.instant().getEpochSecond();
        if (s.state() == SessionState.ACTIVE && now - s.lastSeen() >= idleTimeout.toSeconds()) {
            ClientSession expired = s.withState(SessionState.EXPIRED);
            sessions.put(key(s.clientPubkey(), s.signerPubkey()), expired);
            save();
            LOG.info("NIP-46 session of {} expired after {} s idle", s.clientPubkey(), idleTimeout.toSeconds());
            return expired;
        }
        return s;
    }

    /** Adds or replaces a session. */
    public synchronized void put(ClientSession s) {
        sessions.put(key(s.clientPubkey(), s.signerPubkey()), s);
        save();
    }

    /** Records a request from an active session. */
    public synchronized ClientSession touch(ClientSession s) {
        long now = clock.instant().getEpochSecond();
        ClientSession seen = s.seen(now);
        sessions.put(key(s.clientPubkey(), s.signerPubkey()), seen);
        if (now - lastWrite >= LAST_SEEN_WRITE_INTERVAL.toSeconds()) {
            save();
        }
        return seen;
    }

    /** Revokes every session of a client (with any of our identities); false when it had none. */
    public synchronized boolean revoke(String clientPubkey) {
        boolean any = false;
        for (Map.Entry<String, ClientSession> e : sessions.entrySet()) {
            if (e.getValue().clientPubkey().equals(clientPubkey) && e.getValue().state() != SessionState.REVOKED) {
                e.setValue(e.getValue().withState(SessionState.REVOKED));
                any = true;
            }
        }
        if (any) {
            save();
        }
        return any;
    }

    /** Every session, with idle expiry applied. */
    public synchronized List<ClientSession> list() {
        List<ClientSession> out = new ArrayList<>();
        for (ClientSession s : List.copyOf(sessions.values())) {
            out.add(expireIfIdle(s));
        }
        return out;
    }

    private void load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, Object> root = JsonData.parseObject(text);
            Object list = root.get("sessions");
            if (list instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> raw) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) raw;
                        ClientSession s = new ClientSession(
                                JsonData.string(m, "client_pubkey", ""),
                                JsonData.string(m, "signer_pubkey", ""),
                                SessionState.valueOf(JsonData.string(m, "state", "REVOKED")),
                                Permissions.parse(JsonData.string(m, "perms", "")),
                                JsonData.strings(m, "relays"),
                                JsonData.string(m, "name", ""),
                                JsonData.number(m, "created_at", 0),
                                JsonData.number(m, "last_seen", 0));
                        sessions.put(key(s.clientPubkey(), s.signerPubkey()), s);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is corrupt (" + e.getMessage() + "); move it away to start afresh", e);
        }
    }

    private void save() {
        List<Object> list = new ArrayList<>();
        for (ClientSession s : sessions.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client_pubkey", s.clientPubkey());
            m.put("signer_pubkey", s.signerPubkey());
            m.put("state", s.state().name());
            m.put("perms", s.permissions().format());
            m.put("relays", new ArrayList<Object>(s.relays()));
            m.put("name", s.name());
            m.put("created_at", s.createdAt());
            m.put("last_seen", s.lastSeen());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1L);
        root.put("sessions", list);
        try {
            PrivateFiles.write(file, (JsonData.write(root) + "\n").getBytes(StandardCharsets.UTF_8));
            lastWrite = clock.instant().getEpochSecond();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
