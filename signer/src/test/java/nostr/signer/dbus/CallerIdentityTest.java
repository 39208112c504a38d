package nostr.signer.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.keys.SecretKey;
import nostr.signer.config.SignerConfig;
import nostr.signer.config.SignerConfigLoader;
import nostr.signer.daemon.SignerDaemon;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.PrivateBus;

/**
 * Callers are identified through the bus daemon (GetConnectionUnixUser): on a bus that admits other
 * users, a process of another uid is refused with PermissionDenied while our own uid is served.
 * This machine's tests run as root; the other user is nobody (setpriv).
 */
class CallerIdentityTest {
    @TempDir
    Path dir;

    @Test
    void anotherUidIsPermissionDenied() throws Exception {
        Path busDir = dir.resolve("bus");
        try (PrivateBus bus = PrivateBus.start(busDir, List.of(), Map.of(), true)) {
            // Only the test's own temporary directories: nobody must reach the socket inside them.
            for (Path p : List.of(dir, busDir)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path conf = dir.resolve("signer.conf");
            Files.writeString(conf, "key-store = file\nnip49-log-n = 4\npassphrase-file = " + dir.resolve("pass") + "\n"
                    + "auto-approve-kinds = 1\nsign-max-per-minute = 0\nsign-cooldown-ms = 0\n");
            Files.writeString(dir.resolve("pass"), "pw");
            SignerConfig config = SignerConfigLoader.load(conf, dir.resolve("data"), Map.of("NOSTR_SIGNER_ALLOW_KEY_MUTATIONS", "1"));
            try (SignerDaemon daemon = SignerDaemon.start(config, bus.address(), InstantSource.system(), null)) {
                Gdbus own = new Gdbus(bus.address());
                SecretKey k = SecretKey.generate();
                assertEquals(List.of(true, k.publicKey().npub()), own.call("StoreKey", Gdbus.str(k.toHex()), Gdbus.str("")).values());
                Gdbus.Result foreign = Gdbus.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "gdbus", "call", "--address", bus.address(), "--dest", "org.nostr.Signer", "--object-path",
                        "/org/nostr/signer", "--method", "org.nostr.Signer.SignEvent", "{\"kind\":1}", "", ""));
                assertEquals("org.nostr.Signer.Error.PermissionDenied", foreign.errorName(), foreign.stderr());
                assertTrue(foreign.errorMessage().contains("uid 65534 may not use the signer of uid 0"), foreign.errorMessage());
                assertEquals(128, own.call("SignEvent", Gdbus.str("{\"kind\":1}"), Gdbus.str(""), Gdbus.str("")).string(0).length());
            }
        }
    }
}
