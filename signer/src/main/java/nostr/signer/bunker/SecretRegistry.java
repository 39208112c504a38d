package nostr.signer.bunker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nostr.signer.files.JsonData;
import nostr.signer.files.PrivateFiles;

/**
 * Single-use secrets of {@code bunker://} URIs. Only a SHA-256 of each secret is stored
 * ({@code bunker-secrets.json}, 0600), with the identity it connects to, the permissions it grants
 * and its expiry. A secret is consumed by the first successful connect; NIP-46: "remote-signer SHOULD
 * ignore new attempts to establish connection with old secret".
 */
public final class SecretRegistry {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final InstantSource clock;
    private final List<Entry> entries = new ArrayList<>();

    private record Entry(String hash, String signerPubkey, String perms, long createdAt, long expiresAt) {}

    public SecretRegistry(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
        load();
    }

    /** Makes a fresh secret for {@code signerPubkey} granting {@code perms}, valid for {@code ttl}. */
    public synchronized String issue(String signerPubkey, Permissions perms, Duration ttl) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String secret = HexFormat.of().formatHex(b);
        long now = clock.instant().getEpochSecond();
        entries.removeIf(e -> e.expiresAt() <= now);
        entries.add(new Entry(hash(secret), signerPubkey, perms.format(), now, now + ttl.toSeconds()));
        save();
        return secret;
    }

    /** Consumes {@code secret} if it is outstanding for {@code signerPubkey}; returns its permissions. */
    public synchronized Optional<Permissions> consume(String secret, String signerPubkey) {
        String h = hash(secret);
        long now = clock.instant().getEpochSecond();
        for (Entry e : entries) {
            if (MessageDigest.isEqual(h.getBytes(StandardCharsets.US_ASCII), e.hash().getBytes(StandardCharsets.US_ASCII))
                    && e.signerPubkey().equals(signerPubkey) && e.expiresAt() > now) {
                entries.remove(e);
                save();
                return Optional.of(Permissions.parse(e.perms()));
            }
        }
        return Optional.empty();
    }

    /** How many unexpired secrets are outstanding. */
    public synchronized int outstanding() {
        long now = clock.instant().getEpochSecond();
        return (int) entries.stream().filter(e -> e.expiresAt() > now).count();
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        Map<String, Object> root = JsonData.parseObject(text);
        if (root.get("secrets") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> raw) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) raw;
                    entries.add(new Entry(JsonData.string(m, "sha256", ""), JsonData.string(m, "signer_pubkey", ""),
                            JsonData.string(m, "perms", ""), JsonData.number(m, "created_at", 0),
                            JsonData.number(m, "expires_at", 0)));
                }
            }
        }
    }

    private void save() {
        List<Object> list = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sha256", e.hash());
            m.put("signer_pubkey", e.signerPubkey());
            m.put("perms", e.perms());
            m.put("created_at", e.createdAt());
            m.put("expires_at", e.expiresAt());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1L);
        root.put("secrets", list);
        try {
            PrivateFiles.write(file, (JsonData.write(root) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
