package nostr.signer.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import nostr.signer.config.SignerConfig;
import nostr.signer.config.SignerConfigLoader;

/**
 * What every subcommand gets from {@link nostr.signer.SignerMain}: the environment, standard streams
 * and the global {@code --config}/{@code --data-dir} options. Passing them explicitly lets tests run
 * commands in-process with their own environment.
 */
public final class CliContext {
    private final Map<String, String> env;
    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final java.io.Console console;
    private Path configFile;
    private Path dataDir;

    /**
     * @param console the terminal for passphrase prompts without echo, or null to read lines from {@code in}
     */
    public CliContext(Map<String, String> env, BufferedReader in, PrintStream out, PrintStream err, java.io.Console console) {
        this.console = console;
        this.env = Map.copyOf(env);
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public Map<String, String> env() {
        return env;
    }

    public BufferedReader in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public void setConfigFile(Path configFile) {
        this.configFile = configFile;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Loads the configuration (file, environment, global options). */
    public SignerConfig config() {
        try {
            return SignerConfigLoader.load(configFile, dataDir, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bus to use: {@code NOSTR_SIGNER_ENDPOINT} (a D-Bus address, for sandboxed deployments),
     * else the session bus from {@code DBUS_SESSION_BUS_ADDRESS}, or {@code DBUS_STARTER_ADDRESS}
     * when started by bus activation; null lets dbus-java find the session bus itself.
     */
    public String busAddress() {
        String a = env.get("NOSTR_SIGNER_ENDPOINT");
        if (a == null || a.isBlank()) {
            a = env.get("DBUS_SESSION_BUS_ADDRESS");
        }
        if (a == null || a.isBlank()) {
            a = env.get("DBUS_STARTER_ADDRESS");
        }
        return a == null || a.isBlank() ? null : a;
    }

    /** Reads one line of standard input (a passphrase or a key); null at end of input. */
    public String readSecretLine(String prompt) {
        if (console != null) {
            char[] chars = console.readPassword("%s", prompt);
            return chars == null ? null : new String(chars);
        }
        try {
            err.print(prompt);
            err.flush();
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
