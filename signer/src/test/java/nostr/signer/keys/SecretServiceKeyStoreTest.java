package nostr.signer.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.keys.SecretKey;
import nostr.signer.ops.SignerException;
import nostr.signer.secretservice.SecretServiceClient;
import nostr.signer.secretservice.TransportCipher;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.Keyring;
import nostr.signer.testing.PrivateBus;

/**
 * Keys in a real Secret Service: gnome-keyring-daemon on a private bus, spoken to over plain D-Bus
 * (freedesktop Secret Service API, sessions with plain and dh-ietf1024-sha256-aes128-cbc-pkcs7 transport).
 */
class SecretServiceKeyStoreTest {
    @TempDir
    static Path dir;
    static PrivateBus bus;
    static Keyring keyring;
    static DBusConnection conn;

    @BeforeAll
    static void start() throws Exception {
        bus = PrivateBus.start(dir.resolve("bus"));
        keyring = Keyring.start(bus, dir.resolve("home"));
        conn = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
    }

    @AfterAll
    static void stop() {
        if (conn != null) {
            conn.disconnect();
        }
        if (keyring != null) {
            keyring.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void dhAesSessionNegotiatesTheEncryptedTransport() {
        try (SecretServiceClient c = SecretServiceClient.open(conn, TransportCipher.DH_AES)) {
            assertEquals(TransportCipher.DH_AES, c.algorithm());
        }
    }

    @Test
    void secretStoredOverDhAesReadsBackOverAPlainSession() {
        SecretServiceKeyStore store = new SecretServiceKeyStore(conn, TransportCipher.DH_AES, InstantSource.system());
        SecretKey key = SecretKey.generate();
        Identity id = store.store(key, "dh-key", "DH key");
        // The keyring decrypted what we sent under the DH/AES session key: a plain session sees the hex key.
        try (SecretServiceClient plain = SecretServiceClient.open(conn, TransportCipher.PLAIN)) {
            assertEquals(TransportCipher.PLAIN, plain.algorithm());
            List<DBusPath> items = plain.search(Map.of("application", "nostr-signer", "key_id", "dh-key"));
            assertEquals(1, items.size());
            assertArrayEquals(key.toHex().getBytes(StandardCharsets.US_ASCII), plain.secret(items.getFirst()));
        }
        // And a DH session decrypts the keyring's answer back to the same key.
        SecretKey loaded = store.load(id);
        assertEquals(key.toHex(), loaded.toHex());
        assertTrue(store.delete(id));
    }

    @Test
    void plainTransportStoresListsLoadsAndDeletes() {
        SecretServiceKeyStore store = new SecretServiceKeyStore(conn, TransportCipher.PLAIN, InstantSource.system());
        SecretKey key = SecretKey.generate();
        Identity id = store.store(key, "plain-key", "Plain key");
        assertTrue(store.identities().stream().anyMatch(i -> i.pubkey().equals(key.publicKey().hex())
                && i.keyId().equals("plain-key") && i.label().equals("Plain key")));
        assertEquals(key.toHex(), store.load(id).toHex());
        assertTrue(store.delete(id));
        assertFalse(store.identities().stream().anyMatch(i -> i.keyId().equals("plain-key")));
        assertFalse(store.delete(id));
    }

    @Test
    void itemAttributesAreVisibleToAnIndependentClient() {
        SecretServiceKeyStore store = new SecretServiceKeyStore(conn, TransportCipher.DH_AES, InstantSource.system());
        SecretKey key = SecretKey.generate();
        Identity id = store.store(key, "attr-key", "Attr key");
        Gdbus.Result search = Gdbus.run(List.of("gdbus", "call", "--address", bus.address(), "--dest",
                "org.freedesktop.secrets", "--object-path", "/org/freedesktop/secrets", "--method",
                "org.freedesktop.Secret.Service.SearchItems", "{'application': 'nostr-signer', 'npub': '" + id.npub() + "'}"));
        assertEquals(0, search.exitCode(), search.stderr());
        String path = search.stdout().replaceAll("(?s).*?objectpath '([^']+)'.*", "$1");
        Gdbus.Result attrs = Gdbus.run(List.of("gdbus", "call", "--address", bus.address(), "--dest",
                "org.freedesktop.secrets", "--object-path", path, "--method", "org.freedesktop.DBus.Properties.Get",
                "org.freedesktop.Secret.Item", "Attributes"));
        assertEquals(0, attrs.exitCode(), attrs.stderr());
        assertTrue(attrs.stdout().contains("'key_id': 'attr-key'"), attrs.stdout());
        assertTrue(attrs.stdout().contains("'pubkey': '" + key.publicKey().hex() + "'"), attrs.stdout());
        assertTrue(attrs.stdout().contains("'label': 'Attr key'"), attrs.stdout());
        assertTrue(attrs.stdout().contains("'created_at': '"), attrs.stdout());
        assertFalse(attrs.stdout().contains(key.toHex()), "the secret must not be an attribute");
        store.delete(id);
    }

    @Test
    void storingTheSamePubkeyAgainReplacesTheItem() {
        SecretServiceKeyStore store = new SecretServiceKeyStore(conn, TransportCipher.DH_AES, InstantSource.system());
        SecretKey key = SecretKey.generate();
        store.store(key, "first-name", "first");
        Identity second = store.store(key, "second-name", "second");
        List<Identity> same = store.identities().stream().filter(i -> i.pubkey().equals(key.publicKey().hex())).toList();
        assertEquals(List.of(second.keyId()), same.stream().map(Identity::keyId).toList());
        store.delete(second);
    }

    @Test
    void keyIdOfAnotherKeyIsRefused() {
        SecretServiceKeyStore store = new SecretServiceKeyStore(conn, TransportCipher.DH_AES, InstantSource.system());
        Identity a = store.store(SecretKey.generate(), "taken", "a");
        SignerException e = assertThrows(SignerException.class, () -> store.store(SecretKey.generate(), "taken", "b"));
        assertEquals(SignerException.Reason.INVALID_INPUT, e.reason());
        store.delete(a);
    }

    @Test
    void busWithoutAKeyringReportsSecretServiceUnavailable() throws Exception {
        try (PrivateBus empty = PrivateBus.start(dir.resolve("empty-bus"));
             DBusConnection c = DBusConnectionBuilder.forAddress(empty.address()).withShared(false).build()) {
            assertFalse(SecretServiceClient.isAvailable(c));
            SecretServiceKeyStore store = new SecretServiceKeyStore(c, TransportCipher.DH_AES, InstantSource.system());
            SignerException e = assertThrows(SignerException.class, () -> store.store(SecretKey.generate(), "x", "x"));
            assertEquals(SignerException.Reason.SECRET_SERVICE_UNAVAILABLE, e.reason());
        }
    }
}
