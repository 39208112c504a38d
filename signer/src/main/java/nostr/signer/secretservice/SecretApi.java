package nostr.signer.secretservice;

import java.util.List;
import java.util.Map;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;

/**
 * Plain dbus-java proxies of the freedesktop Secret Service API
 * (https://specifications.freedesktop.org/secret-service/): only the members the key store uses.
 */
public final class SecretApi {
    /** The well-known bus name of the Secret Service. */
    public static final String BUS_NAME = "org.freedesktop.secrets";
    /** The service object. */
    public static final String SERVICE_PATH = "/org/freedesktop/secrets";
    /** "No object" in Secret Service replies (no prompt needed, no such alias). */
    public static final String NO_OBJECT = "/";

    private SecretApi() {}

    @DBusInterfaceName("org.freedesktop.Secret.Service")
    public interface Service extends DBusInterface {
        SecretPair<Variant<?>, DBusPath> OpenSession(String algorithm, Variant<?> input);

        SecretPair<DBusPath, DBusPath> CreateCollection(Map<String, Variant<?>> properties, String alias);

        SecretPair<List<DBusPath>, List<DBusPath>> SearchItems(Map<String, String> attributes);

        SecretPair<List<DBusPath>, DBusPath> Unlock(List<DBusPath> objects);

        DBusPath ReadAlias(String name);
    }

    @DBusInterfaceName("org.freedesktop.Secret.Collection")
    public interface Collection extends DBusInterface {
        SecretPair<DBusPath, DBusPath> CreateItem(Map<String, Variant<?>> properties, SecretValue secret, boolean replace);

        List<DBusPath> SearchItems(Map<String, String> attributes);
    }

    @DBusInterfaceName("org.freedesktop.Secret.Item")
    public interface Item extends DBusInterface {
        DBusPath Delete();

        SecretValue GetSecret(DBusPath session);
    }

    @DBusInterfaceName("org.freedesktop.Secret.Session")
    public interface Session extends DBusInterface {
        void Close();
    }

    @DBusInterfaceName("org.freedesktop.Secret.Prompt")
    public interface Prompt extends DBusInterface {
        void Dismiss();
    }
}
