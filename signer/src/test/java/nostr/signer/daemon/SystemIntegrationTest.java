package nostr.signer.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.keys.SecretKey;
import nostr.core.testing.Repo;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.PrivateBus;

/**
 * The shipped system integration files: the D-Bus session service file activates the daemon on first
 * call (on a private bus whose service directory holds it, with Exec pointed at this build), and the
 * systemd user unit passes {@code systemd-analyze --user verify} without warnings.
 */
class SystemIntegrationTest {
    @TempDir
    Path dir;

    static Map<String, String> keyValues(Path file) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (!l.startsWith("#") && !l.startsWith("[") && eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    @Test
    void serviceFileActivatesTheDaemonOnFirstCall() throws Exception {
        Path shipped = Repo.root().resolve("signer/data/dbus/org.nostr.Signer.service");
        Map<String, String> kv = keyValues(shipped);
        assertEquals("org.nostr.Signer", kv.get("Name"));
        assertEquals("nostr-signer.service", kv.get("SystemdService"));
        assertTrue(kv.get("Exec").endsWith("nostr-signer daemon"), kv.get("Exec"));

        // The same file with Exec pointing at this build's classes instead of an installed launcher.
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        String exec = javaBin + " --enable-native-access=ALL-UNNAMED -cp " + System.getProperty("java.class.path")
                + " nostr.signer.SignerMain daemon";
        Path services = dir.resolve("services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("org.nostr.Signer.service"),
                Files.readString(shipped).replaceAll("(?m)^Exec=.*$", Matcher.quoteReplacement("Exec=" + exec))
                        .replaceAll("(?m)^SystemdService=.*$", ""));
        Path pass = dir.resolve("passphrase");
        Files.writeString(pass, "activation\n");
        Files.writeString(dir.resolve("signer.conf"), "key-store = file\nnip49-log-n = 4\npassphrase-file = " + pass + "\n");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("NOSTR_SIGNER_CONFIG", dir.resolve("signer.conf").toString());
        env.put("NOSTR_SIGNER_DATA_DIR", dir.resolve("data").toString());
        env.put("NOSTR_SIGNER_ALLOW_KEY_MUTATIONS", "1");
        env.put("NOSTR_SIGNER_LOG_LEVEL", "WARN");
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"), List.of(services), env)) {
            Gdbus gdbus = new Gdbus(bus.address());
            Optional<ProcessHandle> daemon = Optional.empty();
            try {
                // Nobody owns org.nostr.Signer: this call starts the daemon through the service file.
                Gdbus.Result first = gdbus.call("GetPublicKey");
                assertEquals("org.nostr.Signer.Error.Internal", first.errorName(), first.stderr());
                try (DBusConnection c = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
                    DBus dbus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
                    String owner = dbus.GetNameOwner("org.nostr.Signer");
                    daemon = ProcessHandle.of(dbus.GetConnectionUnixProcessID(owner).longValue());
                }
                assertTrue(daemon.isPresent() && daemon.get().isAlive());
                assertTrue(daemon.get().pid() != ProcessHandle.current().pid());
                assertTrue(daemon.get().info().commandLine().orElse("").contains("nostr.signer.SignerMain daemon"),
                        "the bus started the service file's Exec line");
                SecretKey k = SecretKey.generate();
                assertEquals(List.of(true, k.publicKey().npub()),
                        gdbus.call("StoreKey", Gdbus.str(k.toHex()), Gdbus.str("activated")).values());
                assertEquals(List.of(k.publicKey().npub()), gdbus.call("GetPublicKey").values());
            } finally {
                daemon.ifPresent(p -> {
                    p.destroy();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                });
            }
        }
    }

    @Test
    void systemdUserUnitVerifiesCleanly() throws Exception {
        Path unit = Repo.root().resolve("signer/data/systemd/nostr-signer.service");
        Map<String, String> kv = keyValues(unit);
        assertEquals("dbus", kv.get("Type"));
        assertEquals("org.nostr.Signer", kv.get("BusName"));
        assertEquals("/usr/local/bin/nostr-signer daemon", kv.get("ExecStart"));
        Path copy = dir.resolve("nostr-signer.service");
        Files.writeString(copy, Files.readString(unit).replace("/usr/local/bin/nostr-signer",
                Repo.root().resolve("bin/nostr-signer").toString()));
        Path runtime = dir.resolve("runtime");
        Files.createDirectories(runtime);
        ProcessBuilder pb = new ProcessBuilder("systemd-analyze", "--user", "verify", copy.toString());
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()) + new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out.strip(), "systemd-analyze reports problems");
    }
}
