package nostr.signer.secretservice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Secret Service client over plain D-Bus proxies: opens a session (preferring the DH/AES transport,
 * falling back to plain when the service refuses it), finds the default collection, and creates,
 * searches, reads and deletes items. Anything that would need an interactive prompt (a locked
 * collection, creating the first collection) fails with {@link SecretServiceException}: the signer
 * runs headless and never waits for a desktop dialog.
 */
public final class SecretServiceClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecretServiceClient.class);

    private final DBusConnection bus;
    private final SecretApi.Service service;
    private final DBusPath session;
    private final TransportCipher cipher;

    /** Why the Secret Service cannot do what was asked. */
    public static final class SecretServiceException extends RuntimeException {
        public SecretServiceException(String message) {
            super(message);
        }

        public SecretServiceException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SecretServiceClient(DBusConnection bus, SecretApi.Service service, DBusPath session, TransportCipher cipher) {
        this.bus = bus;
        this.service = service;
        this.session = session;
        this.cipher = cipher;
    }

    /** True when a Secret Service owns its name on this bus or can be activated. */
    public static boolean isAvailable(DBusConnection bus) {
        try {
            DBus dbus = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            return dbus.NameHasOwner(SecretApi.BUS_NAME)
                    || Arrays.asList(dbus.ListActivatableNames()).contains(SecretApi.BUS_NAME);
        } catch (DBusException | DBusExecutionException e) {
            return false;
        }
    }

    /**
     * Why the Secret Service on this bus cannot hold keys without a prompt, or null when it can: it
     * must be reachable and its default collection must exist and be unlocked (or unlockable without
     * a prompt). Probing may activate the service.
     */
    public static String unusableBecause(DBusConnection bus) {
        if (!isAvailable(bus)) {
            return "no Secret Service on the bus";
        }
        try (SecretServiceClient c = open(bus, TransportCipher.DH_AES)) {
            c.defaultCollection();
            return null;
        } catch (SecretServiceException e) {
            return e.getMessage();
        }
    }

    /**
     * Opens a session with {@code preferred} transport encryption ({@link TransportCipher#DH_AES} or
     * {@link TransportCipher#PLAIN}); DH falls back to plain if the service does not support it.
     */
    public static SecretServiceClient open(DBusConnection bus, String preferred) {
        SecretApi.Service service;
        try {
            service = bus.getRemoteObject(SecretApi.BUS_NAME, SecretApi.SERVICE_PATH, SecretApi.Service.class);
        } catch (DBusException e) {
            throw new SecretServiceException("cannot reach the Secret Service: " + e.getMessage(), e);
        }
        if (TransportCipher.DH_AES.equals(preferred)) {
            TransportCipher.DhAes.Offer offer = TransportCipher.DhAes.offer();
            try {
                SecretPair<Variant<?>, DBusPath> r = service.OpenSession(TransportCipher.DH_AES, new Variant<>(offer.publicValue()));
                byte[] theirs = bytes(r.first.getValue());
                if (theirs == null) {
                    throw new SecretServiceException("Secret Service answered the DH offer without a public value");
                }
                return new SecretServiceClient(bus, service, r.second, offer.complete(theirs));
            } catch (DBusExecutionException e) {
                if (e.getClass().getName().contains("NotSupported") || String.valueOf(e.getMessage()).contains("not supported")) {
                    LOG.info("Secret Service does not support {} ({}: {}); using plain transport", TransportCipher.DH_AES, e.getClass().getName(), e.getMessage());
                } else {
                    throw unavailable("OpenSession", e);
                }
            }
        }
        try {
            SecretPair<Variant<?>, DBusPath> r = service.OpenSession(TransportCipher.PLAIN, new Variant<>(""));
            return new SecretServiceClient(bus, service, r.second, new TransportCipher.Plain());
        } catch (DBusExecutionException e) {
            throw unavailable("OpenSession", e);
        }
    }

    /** A byte array as dbus-java hands an {@code ay} inside a variant (byte[], Byte[] or a list). */
    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof Byte[] boxed) {
            byte[] out = new byte[boxed.length];
            for (int i = 0; i < boxed.length; i++) {
                out[i] = boxed[i];
            }
            return out;
        }
        if (v instanceof java.util.List<?> l && l.stream().allMatch(Byte.class::isInstance)) {
            byte[] out = new byte[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (Byte) l.get(i);
            }
            return out;
        }
        return null;
    }

    /** The negotiated transport algorithm. */
    public String algorithm() {
        return cipher.algorithm();
    }

    /**
     * The collection the {@code default} alias points to, unlocked. When there is none (a fresh
     * keyring) it is created, which succeeds only if the service needs no prompt for it.
     */
    public DBusPath defaultCollection() {
        DBusPath c;
        try {
            c = service.ReadAlias("default");
            if (SecretApi.NO_OBJECT.equals(c.getPath())) {
                Map<String, Variant<?>> props = new HashMap<>();
                props.put("org.freedesktop.Secret.Collection.Label", new Variant<>("Default keyring"));
                SecretPair<DBusPath, DBusPath> created = service.CreateCollection(props, "default");
                if (!SecretApi.NO_OBJECT.equals(created.second.getPath())) {
                    dismiss(created.second);
                    throw new SecretServiceException("creating the default keyring needs an interactive prompt");
                }
                c = created.first;
            }
        } catch (DBusExecutionException e) {
            throw unavailable("ReadAlias", e);
        }
        unlock(List.of(c));
        return c;
    }

    /** Unlocks objects without a prompt, or fails. */
    void unlock(List<DBusPath> objects) {
        if (objects.isEmpty()) {
            return;
        }
        try {
            SecretPair<List<DBusPath>, DBusPath> r = service.Unlock(objects);
            if (!SecretApi.NO_OBJECT.equals(r.second.getPath())) {
                dismiss(r.second);
                throw new SecretServiceException("the keyring is locked and unlocking it needs an interactive prompt");
            }
        } catch (DBusExecutionException e) {
            throw unavailable("Unlock", e);
        }
    }

    /** Creates (or with {@code replace}, replaces the item with the same attributes) an item. */
    public DBusPath createItem(DBusPath collection, String label, Map<String, String> attributes, byte[] secret,
                               String contentType) {
        TransportCipher.Sealed sealed = cipher.seal(secret);
        try {
            SecretApi.Collection c = bus.getRemoteObject(SecretApi.BUS_NAME, collection.getPath(), SecretApi.Collection.class);
            Map<String, Variant<?>> props = new HashMap<>();
            props.put("org.freedesktop.Secret.Item.Label", new Variant<>(label));
            props.put("org.freedesktop.Secret.Item.Attributes", new Variant<>(new HashMap<>(attributes), "a{ss}"));
            SecretPair<DBusPath, DBusPath> r = c.CreateItem(props, new SecretValue(session, sealed.parameters(),
                    sealed.value(), contentType), true);
            if (!SecretApi.NO_OBJECT.equals(r.second.getPath())) {
                dismiss(r.second);
                throw new SecretServiceException("storing the secret needs an interactive prompt");
            }
            return r.first;
        } catch (DBusException | DBusExecutionException e) {
            throw unavailable("CreateItem", e);
        } finally {
            Arrays.fill(sealed.value(), (byte) 0);
        }
    }

    /** Items whose attributes include {@code attributes}; locked ones are unlocked first (no prompt). */
    public List<DBusPath> search(Map<String, String> attributes) {
        try {
            SecretPair<List<DBusPath>, List<DBusPath>> r = service.SearchItems(attributes);
            unlock(r.second);
            List<DBusPath> all = new ArrayList<>(r.first);
            all.addAll(r.second);
            return all;
        } catch (DBusExecutionException e) {
            throw unavailable("SearchItems", e);
        }
    }

    /** An item's lookup attributes. */
    public Map<String, String> attributes(DBusPath item) {
        try {
            Properties p = bus.getRemoteObject(SecretApi.BUS_NAME, item.getPath(), Properties.class);
            Object v = p.Get("org.freedesktop.Secret.Item", "Attributes");
            Map<String, String> out = new HashMap<>();
            if (v instanceof Map<?, ?> m) {
                m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
            }
            return out;
        } catch (DBusException | DBusExecutionException e) {
            throw unavailable("Get Attributes", e);
        }
    }

    /** An item's secret, decrypted from the transport; the caller zeroes it after use. */
    public byte[] secret(DBusPath item) {
        try {
            SecretApi.Item i = bus.getRemoteObject(SecretApi.BUS_NAME, item.getPath(), SecretApi.Item.class);
            SecretValue v = i.GetSecret(session);
            try {
                return cipher.open(v.parameters, v.value);
            } finally {
                Arrays.fill(v.value, (byte) 0);
            }
        } catch (DBusException | DBusExecutionException e) {
            throw unavailable("GetSecret", e);
        }
    }

    /** Deletes an item (no prompt). */
    public void delete(DBusPath item) {
        try {
            SecretApi.Item i = bus.getRemoteObject(SecretApi.BUS_NAME, item.getPath(), SecretApi.Item.class);
            DBusPath prompt = i.Delete();
            if (!SecretApi.NO_OBJECT.equals(prompt.getPath())) {
                dismiss(prompt);
                throw new SecretServiceException("deleting the secret needs an interactive prompt");
            }
        } catch (DBusException | DBusExecutionException e) {
            throw unavailable("Delete", e);
        }
    }

    private void dismiss(DBusPath prompt) {
        try {
            bus.getRemoteObject(SecretApi.BUS_NAME, prompt.getPath(), SecretApi.Prompt.class).Dismiss();
        } catch (DBusException | DBusExecutionException e) {
            LOG.debug("dismissing prompt {} failed: {}", prompt, e.getMessage());
        }
    }

    private static SecretServiceException unavailable(String what, Exception e) {
        return new SecretServiceException("Secret Service " + what + " failed: " + e.getMessage(), e);
    }

    /** Closes the session and forgets its key. */
    @Override
    public void close() {
        cipher.destroy();
        try {
            bus.getRemoteObject(SecretApi.BUS_NAME, session.getPath(), SecretApi.Session.class).Close();
        } catch (DBusException | DBusExecutionException e) {
            LOG.debug("closing Secret Service session failed: {}", e.getMessage());
        }
    }
}
