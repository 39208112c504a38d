package nostr.signer.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import nostr.core.keys.SecretKey;
import nostr.core.nip49.Nip49;
import nostr.signer.files.PrivateFiles;
import nostr.signer.ops.SignerException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The fallback key store when no Secret Service is available: one file per identity,
 * {@code <data>/keys/<key_id>.json} (mode 0600, directory 0700), holding the public metadata and the
 * key as a NIP-49 {@code ncryptsec} under one passphrase. The store starts locked; {@link #unlock}
 * checks the passphrase against a stored key (or, in an empty store, adopts it). With a
 * {@code passphrase-file} (a systemd credential, a tmpfs file) it unlocks itself on demand, which
 * keeps the auto-lock meaningful for memory (keys are zeroed) but not for access.
 */
public final class NcryptsecFileKeyStore implements KeyStore {
    private final Path dir;
    private final int logN;
    private final Path passphraseFile;
    private final InstantSource clock;
    private volatile String passphrase;

    /**
     * @param dir the keys directory
     * @param logN scrypt cost for new files ({@code nip49-log-n})
     * @param passphraseFile file holding the passphrase for unattended unlock, or null
     */
    public NcryptsecFileKeyStore(Path dir, int logN, Path passphraseFile, InstantSource clock) {
        this.dir = dir;
        this.logN = logN;
        this.passphraseFile = passphraseFile;
        this.clock = clock;
    }

    @Override
    public String backend() {
        return "file";
    }

    /** A stored file: metadata plus the ncryptsec. */
    record Entry(Identity identity, String ncryptsec, Path file) {}

    @Override
    public List<Identity> identities() {
        return entries().stream().map(Entry::identity).toList();
    }

    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                out.add(read(f));
            }
        } catch (IOException e) {
            throw SignerException.internal("cannot read the key directory " + dir + ": " + e.getMessage());
        }
        out.sort(Comparator.comparingLong((Entry e) -> e.identity().createdAt()).thenComparing(e -> e.identity().keyId()));
        return out;
    }

    private static Entry read(Path f) {
        String keyId = null;
        String pubkey = null;
        String label = null;
        long created = 0;
        String ncryptsec = null;
        try (JsonParser p = Json.parser(Files.readAllBytes(f))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                Json.next(p);
                switch (name) {
                    case "key_id" -> keyId = Json.readString(p, name);
                    case "pubkey" -> pubkey = Json.readString(p, name);
                    case "label" -> label = Json.readString(p, name);
                    case "created_at" -> created = Json.readInteger(p, name, 0, Long.MAX_VALUE);
                    case "ncryptsec" -> ncryptsec = Json.readString(p, name);
                    default -> p.skipChildren();
                }
            }
            if (keyId == null || pubkey == null || ncryptsec == null) {
                throw new IOException("needs key_id, pubkey and ncryptsec");
            }
            return new Entry(new Identity(keyId, pubkey, label == null ? keyId : label, created), ncryptsec, f);
        } catch (IOException | JacksonException | JsonValueException | IllegalArgumentException e) {
            throw SignerException.internal("key file " + f + " is unreadable: " + e.getMessage());
        }
    }

    @Override
    public boolean isLocked() {
        return currentPassphrase() == null;
    }

    /** True while the passphrase is held in memory. */
    public boolean holdsPassphrase() {
        return passphrase != null;
    }

    private String currentPassphrase() {
        String p = passphrase;
        if (p == null && passphraseFile != null) {
            try {
                p = Files.readString(passphraseFile, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw SignerException.internal("cannot read passphrase-file " + passphraseFile + ": " + e.getMessage());
            }
            if (p.isEmpty()) {
                return null;
            }
            passphrase = p;
        }
        return p;
    }

    @Override
    public boolean unlock(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        List<Entry> entries = entries();
        if (!entries.isEmpty()) {
            try {
                Nip49.decrypt(entries.getFirst().ncryptsec(), candidate).destroy();
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().contains("wrong password")) {
                    return false;
                }
                throw SignerException.internal("key file " + entries.getFirst().file() + ": " + e.getMessage());
            }
        }
        passphrase = candidate;
        return true;
    }

    @Override
    public void lock() {
        passphrase = null;
    }

    private String passphraseOrLocked() {
        String p = currentPassphrase();
        if (p == null) {
            throw SignerException.locked("the ncryptsec key store is locked: unlock it with `nostr-signer unlock`");
        }
        return p;
    }

    @Override
    public SecretKey load(Identity identity) {
        String p = passphraseOrLocked();
        Entry e = entries().stream().filter(x -> x.identity().pubkey().equals(identity.pubkey())).findFirst()
                .orElseThrow(() -> SignerException.internal("the key of " + identity.npub() + " is no longer stored"));
        SecretKey key;
        try {
            key = Nip49.decrypt(e.ncryptsec(), p);
        } catch (IllegalArgumentException ex) {
            throw SignerException.internal("cannot decrypt key file " + e.file().getFileName() + ": " + ex.getMessage());
        }
        if (!key.publicKey().hex().equals(identity.pubkey())) {
            key.destroy();
            throw SignerException.internal("key file " + e.file().getFileName() + " holds another key than its pubkey says");
        }
        return key;
    }

    @Override
    public Identity store(SecretKey key, String keyId, String label) {
        String p = passphraseOrLocked();
        String pubkey = key.publicKey().hex();
        List<Entry> entries = entries();
        for (Entry e : entries) {
            if (e.identity().keyId().equals(keyId) && !e.identity().pubkey().equals(pubkey)) {
                throw SignerException.invalidInput("key id '" + keyId + "' already names " + e.identity().npub());
            }
        }
        Identity id = new Identity(keyId, pubkey, label, clock.instant().getEpochSecond());
        String ncryptsec = Nip49.encrypt(key, p, logN, Nip49.KEY_SECURITY_UNKNOWN);
        String json = "{\"key_id\":" + Json.quote(id.keyId()) + ",\"pubkey\":\"" + pubkey + "\",\"npub\":\"" + id.npub()
                + "\",\"label\":" + Json.quote(id.label()) + ",\"created_at\":" + id.createdAt()
                + ",\"ncryptsec\":\"" + ncryptsec + "\"}\n";
        try {
            PrivateFiles.ensureDir(dir);
            PrivateFiles.write(dir.resolve(id.keyId() + ".json"), json.getBytes(StandardCharsets.UTF_8));
            for (Entry e : entries) {
                if (e.identity().pubkey().equals(pubkey) && !e.identity().keyId().equals(id.keyId())) {
                    Files.deleteIfExists(e.file());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key file in " + dir + ": " + e.getMessage(), e);
        }
        return id;
    }

    @Override
    public boolean delete(Identity identity) {
        boolean any = false;
        for (Entry e : entries()) {
            if (e.identity().pubkey().equals(identity.pubkey())) {
                try {
                    any |= Files.deleteIfExists(e.file());
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot delete key file " + e.file() + ": " + ex.getMessage(), ex);
                }
            }
        }
        return any;
    }
}
