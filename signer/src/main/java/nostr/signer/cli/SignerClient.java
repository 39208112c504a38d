package nostr.signer.cli;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.nostr.Signer;
import org.nostr.SignerControl;

/** The CLI's connection to a running daemon: proxies of both interfaces of {@code /org/nostr/signer}. */
public final class SignerClient implements AutoCloseable {
    private final DBusConnection bus;
    private final Signer signer;
    private final SignerControl control;

    private SignerClient(DBusConnection bus, Signer signer, SignerControl control) {
        this.bus = bus;
        this.signer = signer;
        this.control = control;
    }

    /** Connects to the bus at {@code address} (null: the session bus). */
    public static SignerClient connect(String address) throws DBusException {
        DBusConnection bus = (address == null ? DBusConnectionBuilder.forSessionBus() : DBusConnectionBuilder.forAddress(address))
                .withShared(false).build();
        try {
            return new SignerClient(bus,
                    bus.getRemoteObject(Signer.BUS_NAME, Signer.OBJECT_PATH, Signer.class),
                    bus.getRemoteObject(Signer.BUS_NAME, Signer.OBJECT_PATH, SignerControl.class));
        } catch (DBusException | RuntimeException e) {
            bus.disconnect();
            throw e;
        }
    }

    public DBusConnection bus() {
        return bus;
    }

    public Signer signer() {
        return signer;
    }

    public SignerControl control() {
        return control;
    }

    @Override
    public void close() {
        bus.disconnect();
    }
}
