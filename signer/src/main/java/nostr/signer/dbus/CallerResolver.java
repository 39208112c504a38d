package nostr.signer.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;

import nostr.signer.ops.SignerException;

/**
 * Identifies callers through the bus daemon ({@code GetConnectionUnixUser},
 * {@code GetConnectionUnixProcessID}) and {@code /proc/<pid>/exe}. Unique names are never reused
 * on a bus, so answers are cached (a bounded LRU). Only our own uid and root may call.
 */
public final class CallerResolver {
    private static final int CACHE = 1024;

    private final DBus dbus;
    private final long ownUid;
    private final Map<String, Caller> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Caller> eldest) {
            return size() > CACHE;
        }
    };

    public CallerResolver(DBusConnection bus) throws DBusException {
        this.dbus = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        this.ownUid = ownUid();
    }

    /** Our own uid, from /proc/self. */
    public static long ownUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot determine our uid: " + e.getMessage(), e);
        }
    }

    /**
     * The caller behind a unique bus name.
     *
     * @throws SignerException PERMISSION_DENIED for a foreign uid, INTERNAL when the bus will not say
     */
    public Caller resolve(String sender) {
        if (sender == null) {
            throw SignerException.internal("no D-Bus sender on this call");
        }
        Caller c;
        synchronized (cache) {
            c = cache.get(sender);
        }
        if (c == null) {
            try {
                long uid = dbus.GetConnectionUnixUser(sender).longValue();
                long pid = dbus.GetConnectionUnixProcessID(sender).longValue();
                c = new Caller(sender, uid, pid, executable(pid));
            } catch (DBusExecutionException e) {
                throw SignerException.internal("the bus daemon does not know caller " + sender + ": " + e.getMessage());
            }
            synchronized (cache) {
                cache.put(sender, c);
            }
        }
        if (c.uid() != ownUid && c.uid() != 0) {
            throw SignerException.permissionDenied("uid " + c.uid() + " may not use the signer of uid " + ownUid);
        }
        return c;
    }

    private static String executable(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }
}
