package nostr.signer.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;

/**
 * gnome-keyring-daemon (secrets component only) on a {@link PrivateBus}, headless: HOME and the XDG
 * directories point into a temporary directory, and {@code --unlock} reads the login keyring's
 * password from standard input, so the login collection exists and is unlocked without any prompt.
 */
public final class Keyring implements AutoCloseable {
    public static final String PASSWORD = "test-keyring-password";
    private final Process process;

    private Keyring(Process process) {
        this.process = process;
    }

    public static Keyring start(PrivateBus bus, Path home) throws IOException, DBusException {
        Path runtime = home.resolve("run");
        Files.createDirectories(runtime);
        Files.setPosixFilePermissions(runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets");
        pb.environment().put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        pb.redirectOutput(home.resolve("gnome-keyring.out").toFile());
        pb.redirectError(home.resolve("gnome-keyring.err").toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(PASSWORD.getBytes(StandardCharsets.UTF_8));
        }
        Keyring k = new Keyring(p);
        try (DBusConnection c = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
            DBus dbus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            Await.until("gnome-keyring-daemon owns org.freedesktop.secrets", Duration.ofSeconds(20),
                    () -> !p.isAlive() || dbus.NameHasOwner("org.freedesktop.secrets"));
        } catch (IOException e) {
            throw e;
        }
        if (!p.isAlive()) {
            throw new IOException("gnome-keyring-daemon exited: " + Files.readString(home.resolve("gnome-keyring.err")));
        }
        return k;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        PrivateBus.Processes.stop(process);
    }
}
