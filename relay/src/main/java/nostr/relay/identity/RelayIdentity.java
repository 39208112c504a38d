package nostr.relay.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;

/**
 * The relay's own Nostr key: its NIP-11 {@code self}, the author of the events the relay signs
 * (NIP-43 membership lists, add/remove events, invite claims).
 *
 * <p>The key lives in a file ({@code relay_secret_key_file}, default {@code <data_dir>/relay.key})
 * holding 64 hex characters or an {@code nsec1...}. The first start generates it and writes it
 * with mode 0600 (to a temporary file first, then renamed, so a crash never leaves half a key).
 * An existing file that group or others may read is refused, as ssh refuses such keys: a leaked
 * relay key lets anyone forge the relay's membership lists. The secret is never logged; {@link
 * #toString()} shows the public key only.
 */
public final class RelayIdentity {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKey key;
    private final String pubkey;

    private RelayIdentity(SecretKey key) {
        this.key = key;
        this.pubkey = key.publicKey().hex();
    }

    /** An identity around a key held in memory (tests, tools). */
    public static RelayIdentity of(SecretKey key) {
        return new RelayIdentity(key);
    }

    /**
     * Loads the key from {@code file}, generating it first when the file does not exist.
     *
     * @throws IOException when the file cannot be read or written, holds no valid key, or is
     *     readable by group or others (the message names the file and the fix)
     */
    public static RelayIdentity loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                return create(file);
            } catch (FileAlreadyExistsException e) {
                // Another process created it meanwhile: read theirs.
            }
        }
        checkPermissions(file);
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            return new RelayIdentity(SecretKey.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("relay key file " + file + " does not hold a secret key (64 hex characters or nsec1...): "
                    + e.getMessage());
        }
    }

    private static RelayIdentity create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        SecretKey key = SecretKey.generate();
        Path tmp = Files.createTempFile(dir, ".relay-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, key.toHex() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new RelayIdentity(key);
    }

    private static void checkPermissions(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        for (PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER_")) {
                throw new IOException("relay key file " + file + " is accessible to group or others (mode "
                        + PosixFilePermissions.toString(perms) + "); run chmod 600 " + file);
            }
        }
    }

    /** The relay's public key (64 lowercase hex): NIP-11 {@code self}. */
    public String pubkey() {
        return pubkey;
    }

    /** Signs {@code template} with the relay's key. */
    public Event sign(EventTemplate template) {
        return template.sign(key);
    }

    @Override
    public String toString() {
        return "RelayIdentity[" + pubkey + "]";
    }
}
