package nostr.signer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.freedesktop.dbus.exceptions.DBusException;

import nostr.signer.cli.SignerClient;
import nostr.signer.config.SignerConfig;
import nostr.signer.config.SignerConfigLoader;
import nostr.signer.daemon.SignerDaemon;

/**
 * A signer under test: a private bus, optionally gnome-keyring on it, the daemon in this JVM with a
 * clock the test moves, a dbus-java client and a gdbus runner. Settings are signer.conf lines.
 */
public final class SignerHarness implements AutoCloseable {
    public final PrivateBus bus;
    public final Keyring keyring;
    public final MutableClock clock;
    private final SignerDaemon.BunkerTransport transport;
    public final SignerConfig config;
    public SignerDaemon daemon;
    public final SignerClient client;
    public final Gdbus gdbus;
    public final Path dir;

    private SignerHarness(PrivateBus bus, Keyring keyring, MutableClock clock, SignerConfig config, SignerDaemon daemon,
                          SignerClient client, Path dir, SignerDaemon.BunkerTransport transport) {
        this.transport = transport;
        this.bus = bus;
        this.keyring = keyring;
        this.clock = clock;
        this.config = config;
        this.daemon = daemon;
        this.client = client;
        this.gdbus = new Gdbus(bus.address());
        this.dir = dir;
    }

    /** Builder-ish options. */
    public record Options(boolean withKeyring, boolean allowKeyMutations, Map<String, String> settings,
                          SignerDaemon.BunkerTransport transport) {
        public static Options keyring() {
            return new Options(true, true, new LinkedHashMap<>(), null);
        }

        public static Options noKeyring() {
            return new Options(false, true, new LinkedHashMap<>(), null);
        }

        /** Runs the NIP-46 bunker over real relays. */
        public Options withBunkerRelays() {
            return new Options(withKeyring, allowKeyMutations, settings, nostr.signer.bunker.BunkerRelayLink.transport());
        }

        public Options set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Options mutations(boolean allowed) {
            return new Options(withKeyring, allowed, settings, transport);
        }
    }

    public static SignerHarness start(Path dir, Options o) throws IOException, DBusException {
        PrivateBus bus = PrivateBus.start(dir.resolve("bus"));
        Keyring keyring = null;
        try {
            if (o.withKeyring()) {
                keyring = Keyring.start(bus, dir.resolve("home"));
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("sign-cooldown-ms", "0");
            settings.put("sign-max-per-minute", "0");
            settings.put("key-mutation-cooldown-ms", "0");
            settings.put("key-mutation-max-per-minute", "0");
            settings.put("nip49-log-n", "4");
            settings.putAll(o.settings());
            StringBuilder conf = new StringBuilder();
            settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
            Path confFile = dir.resolve("signer.conf");
            Files.writeString(confFile, conf);
            Map<String, String> env = new HashMap<>();
            if (o.allowKeyMutations()) {
                env.put("NOSTR_SIGNER_ALLOW_KEY_MUTATIONS", "1");
            }
            env.put("HOME", dir.resolve("home").toString());
            SignerConfig config = SignerConfigLoader.load(confFile, dir.resolve("data"), env);
            MutableClock clock = MutableClock.startingNow();
            SignerDaemon daemon = SignerDaemon.start(config, bus.address(), clock, o.transport());
            SignerClient client = SignerClient.connect(bus.address());
            return new SignerHarness(bus, keyring, clock, config, daemon, client, dir, o.transport());
        } catch (IOException | DBusException | RuntimeException e) {
            if (keyring != null) {
                keyring.close();
            }
            bus.close();
            throw e;
        }
    }

    /** Stops the daemon and starts a fresh one on the same bus, config and data (a restart). */
    public void restartDaemon() throws IOException, DBusException {
        daemon.close();
        daemon = SignerDaemon.start(config, bus.address(), clock, transport);
    }

    /** Environment for CLI runs against this signer. */
    public Map<String, String> cliEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        env.put("HOME", dir.resolve("home").toString());
        env.put("NOSTR_SIGNER_DATA_DIR", dir.resolve("data").toString());
        env.put("NOSTR_SIGNER_CONFIG", dir.resolve("signer.conf").toString());
        return env;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                daemon.close();
            } finally {
                if (keyring != null) {
                    keyring.close();
                }
                bus.close();
            }
        }
    }
}
