package nostr.signer.cli;

import java.time.InstantSource;
import java.util.concurrent.Callable;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import nostr.core.keys.SecretKey;
import nostr.signer.SignerMain;
import nostr.signer.config.SignerConfig;
import nostr.signer.keys.Identity;
import nostr.signer.keys.KeyStore;
import nostr.signer.keys.NcryptsecFileKeyStore;
import nostr.signer.keys.SecretServiceKeyStore;
import nostr.signer.secretservice.SecretServiceClient;
import nostr.signer.secretservice.TransportCipher;

/**
 * {@code nostr-signer key generate|import|list|remove}: manages the key store directly (no daemon
 * needed), choosing the backend as the daemon does. The file store asks for its passphrase on the
 * terminal (or reads it from {@code passphrase-file}, or the next line of standard input). Keys are
 * never printed; {@code import} reads the nsec or hex key from standard input.
 */
@Command(name = "key", description = "Generate, import, list or remove stored identities.",
        subcommands = {KeyCommand.Generate.class, KeyCommand.Import.class, KeyCommand.ListKeys.class, KeyCommand.Remove.class})
public final class KeyCommand {
    @ParentCommand
    SignerMain main;

    /** An open key store and the bus connection it may use. */
    record OpenStore(KeyStore store, DBusConnection bus) implements AutoCloseable {
        @Override
        public void close() {
            if (bus != null) {
                bus.disconnect();
            }
        }
    }

    OpenStore open(boolean needsSecrets) {
        CliContext ctx = main.context();
        SignerConfig config = ctx.config();
        DBusConnection bus = null;
        if (config.keyStore() != SignerConfig.KeyStoreKind.FILE) {
            try {
                String addr = ctx.busAddress();
                bus = (addr == null ? DBusConnectionBuilder.forSessionBus() : DBusConnectionBuilder.forAddress(addr))
                        .withShared(false).build();
            } catch (DBusException e) {
                if (config.keyStore() == SignerConfig.KeyStoreKind.SECRET_SERVICE) {
                    throw new IllegalStateException("key-store is secret-service but the session bus is unreachable: "
                            + e.getMessage());
                }
            }
        }
        boolean useSecretService = config.keyStore() == SignerConfig.KeyStoreKind.SECRET_SERVICE
                || config.keyStore() == SignerConfig.KeyStoreKind.AUTO && bus != null
                && SecretServiceClient.unusableBecause(bus) == null;
        if (useSecretService) {
            return new OpenStore(new SecretServiceKeyStore(bus, TransportCipher.DH_AES, InstantSource.system()), bus);
        }
        if (bus != null) {
            bus.disconnect();
        }
        NcryptsecFileKeyStore file = new NcryptsecFileKeyStore(config.keysDir(), config.nip49LogN(), config.passphraseFile(),
                InstantSource.system());
        if (needsSecrets && file.isLocked()) {
            String p = ctx.readSecretLine("passphrase for " + config.keysDir() + ": ");
            if (p == null || p.isEmpty() || !file.unlock(p)) {
                throw new IllegalArgumentException("wrong or missing passphrase");
            }
        }
        return new OpenStore(file, null);
    }

    static String keyId(String given, SecretKey key) {
        return given == null || given.isBlank() ? Identity.defaultKeyId(key.publicKey().hex()) : Identity.checkKeyId(given);
    }

    static void store(KeyCommand parent, SecretKey key, String id, String label) {
        CliContext ctx = parent.main.context();
        try (OpenStore s = parent.open(true)) {
            String keyId = keyId(id, key);
            Identity stored = s.store().store(key, keyId, label == null || label.isBlank() ? keyId : label);
            ctx.out().printf("%s\t%s\t%s (%s)%n", stored.keyId(), stored.npub(), stored.label(), s.store().backend());
        } finally {
            key.destroy();
        }
    }

    @Command(name = "generate", description = "Generate a new key and store it.")
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        private KeyCommand parent;

        @Option(names = "--id", description = "Key id (default: the first 16 hex digits of the pubkey).")
        private String id;

        @Option(names = "--label", description = "Label (default: the key id).")
        private String label;

        @Override
        public Integer call() {
            store(parent, SecretKey.generate(), id, label);
            return 0;
        }
    }

    @Command(name = "import", description = "Import a key (nsec1... or 64 hex digits) read from standard input.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        private KeyCommand parent;

        @Option(names = "--id", description = "Key id (default: the first 16 hex digits of the pubkey).")
        private String id;

        @Option(names = "--label", description = "Label (default: the key id).")
        private String label;

        @Override
        public Integer call() {
            String text = parent.main.context().readSecretLine("secret key (nsec or hex): ");
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("no key on standard input");
            }
            SecretKey key;
            try {
                key = SecretKey.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid key: " + e.getMessage());
            }
            store(parent, key, id, label);
            return 0;
        }
    }

    @Command(name = "list", description = "List stored identities (key id, npub, label, created).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        private KeyCommand parent;

        @Override
        public Integer call() {
            CliContext ctx = parent.main.context();
            try (OpenStore s = parent.open(false)) {
                for (Identity i : s.store().identities()) {
                    ctx.out().printf("%s\t%s\t%s\t%s%n", i.keyId(), i.npub(), i.label(),
                            java.time.Instant.ofEpochSecond(i.createdAt()));
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a stored identity (npub, hex, key id or label).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        private KeyCommand parent;

        @Parameters(index = "0", paramLabel = "SELECTOR")
        private String selector;

        @Override
        public Integer call() {
            CliContext ctx = parent.main.context();
            try (OpenStore s = parent.open(false)) {
                for (Identity i : s.store().identities()) {
                    if (i.matches(selector)) {
                        s.store().delete(i);
                        ctx.out().println("removed " + i.keyId() + " " + i.npub());
                        return 0;
                    }
                }
            }
            ctx.err().println("no identity matches " + selector);
            return 1;
        }
    }
}
