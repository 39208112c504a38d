package nostr.signer.keys;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;

import nostr.core.keys.SecretKey;
import nostr.signer.ops.SignerException;
import nostr.signer.secretservice.SecretServiceClient;
import nostr.signer.secretservice.SecretServiceClient.SecretServiceException;
import nostr.signer.secretservice.TransportCipher;

/**
 * Keys in the Secret Service (GNOME Keyring, KeePassXC, ...): one item per identity in the default
 * collection, with attributes {@code application=nostr-signer}, {@code key_id}, {@code npub},
 * {@code pubkey}, {@code label}, {@code created_at}; the secret is the key as 64 ASCII hex digits
 * ({@code text/plain}), so {@code secret-tool lookup application nostr-signer key_id ...} shows it
 * to its owner. A session is opened per operation so no transport key outlives it.
 */
public final class SecretServiceKeyStore implements KeyStore {
    static final String APPLICATION = "nostr-signer";

    private final DBusConnection bus;
    private final String transport;
    private final InstantSource clock;

    /**
     * @param transport {@link TransportCipher#DH_AES} (default) or {@link TransportCipher#PLAIN}
     */
    public SecretServiceKeyStore(DBusConnection bus, String transport, InstantSource clock) {
        this.bus = bus;
        this.transport = transport;
        this.clock = clock;
    }

    @Override
    public String backend() {
        return "secret-service";
    }

    private SecretServiceClient open() {
        try {
            return SecretServiceClient.open(bus, transport);
        } catch (SecretServiceException e) {
            throw SignerException.keyringUnavailable(e.getMessage());
        }
    }

    @Override
    public List<Identity> identities() {
        try (SecretServiceClient ss = open()) {
            List<Identity> out = new ArrayList<>();
            for (DBusPath item : ss.search(Map.of("application", APPLICATION))) {
                Identity id = fromAttributes(ss.attributes(item));
                if (id != null) {
                    out.add(id);
                }
            }
            out.sort(Comparator.comparingLong(Identity::createdAt).thenComparing(Identity::keyId));
            return out;
        } catch (SecretServiceException e) {
            throw SignerException.keyringUnavailable(e.getMessage());
        }
    }

    private static Identity fromAttributes(Map<String, String> a) {
        try {
            long created = Long.parseLong(a.getOrDefault("created_at", "0"));
            String keyId = a.get("key_id");
            String pubkey = a.get("pubkey");
            if (keyId == null || pubkey == null) {
                return null;
            }
            return new Identity(keyId, pubkey, a.getOrDefault("label", keyId), created);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public SecretKey load(Identity identity) {
        try (SecretServiceClient ss = open()) {
            List<DBusPath> items = ss.search(Map.of("application", APPLICATION, "pubkey", identity.pubkey()));
            if (items.isEmpty()) {
                throw SignerException.internal("the key of " + identity.npub() + " is no longer in the keyring");
            }
            byte[] secret = ss.secret(items.getFirst());
            byte[] raw = null;
            try {
                String hexError = null;
                if (secret.length != 64) {
                    hexError = "the keyring item of " + identity.keyId() + " does not hold a 64-digit hex key";
                } else {
                    raw = decodeAsciiHex(secret);
                    if (raw == null) {
                        hexError = "the keyring item of " + identity.keyId() + " does not hold a 64-digit hex key";
                    }
                }
                if (hexError != null) {
                    throw SignerException.internal(hexError);
                }
                SecretKey key = SecretKey.fromBytes(raw);
                if (!key.publicKey().hex().equals(identity.pubkey())) {
                    key.destroy();
                    throw SignerException.internal("the keyring item of " + identity.keyId() + " holds another key");
                }
                return key;
            } finally {
                Arrays.fill(secret, (byte) 0);
                if (raw != null) {
                    Arrays.fill(raw, (byte) 0);
                }
            }
        } catch (SecretServiceException e) {
            throw SignerException.keyringUnavailable(e.getMessage());
        }
    }

    @Override
    public Identity store(SecretKey key, String keyId, String label) {
        String pubkey = key.publicKey().hex();
        try (SecretServiceClient ss = open()) {
            for (DBusPath other : ss.search(Map.of("application", APPLICATION, "key_id", keyId))) {
                Identity o = fromAttributes(ss.attributes(other));
                if (o != null && !o.pubkey().equals(pubkey)) {
                    throw SignerException.invalidInput("key id '" + keyId + "' already names " + o.npub());
                }
            }
            for (DBusPath same : ss.search(Map.of("application", APPLICATION, "pubkey", pubkey))) {
                ss.delete(same);
            }
            Identity id = new Identity(keyId, pubkey, label, clock.instant().getEpochSecond());
            Map<String, String> attrs = new HashMap<>();
            attrs.put("application", APPLICATION);
            attrs.put("xdg:schema", "org.nostr.Signer.Key");
            attrs.put("key_id", id.keyId());
            attrs.put("pubkey", pubkey);
            attrs.put("npub", id.npub());
            attrs.put("label", id.label());
            attrs.put("created_at", Long.toString(id.createdAt()));
            byte[] raw = key.toBytes();
            byte[] hex = encodeAsciiHex(raw);
            Arrays.fill(raw, (byte) 0);
            try {
                ss.createItem(ss.defaultCollection(), "Nostr key " + id.label() + " (" + id.npub() + ")", attrs, hex, "text/plain");
            } finally {
                Arrays.fill(hex, (byte) 0);
            }
            return id;
        } catch (SecretServiceException e) {
            throw SignerException.keyringUnavailable(e.getMessage());
        }
    }

    @Override
    public boolean delete(Identity identity) {
        try (SecretServiceClient ss = open()) {
            List<DBusPath> items = ss.search(Map.of("application", APPLICATION, "pubkey", identity.pubkey()));
            for (DBusPath item : items) {
                ss.delete(item);
            }
            return !items.isEmpty();
        } catch (SecretServiceException e) {
            throw SignerException.keyringUnavailable(e.getMessage());
        }
    }

    /** Hex digits as ASCII bytes, without making an immutable String of the secret. */
    static byte[] encodeAsciiHex(byte[] raw) {
        byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[raw.length * 2];
        for (int i = 0; i < raw.length; i++) {
            out[2 * i] = digits[(raw[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[raw[i] & 0xf];
        }
        return out;
    }

    /** Decodes ASCII hex bytes (either case); null when a byte is not a hex digit. */
    static byte[] decodeAsciiHex(byte[] hex) {
        byte[] out = new byte[hex.length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex[2 * i], 16);
            int lo = Character.digit(hex[2 * i + 1], 16);
            if (hi < 0 || lo < 0) {
                Arrays.fill(out, (byte) 0);
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
