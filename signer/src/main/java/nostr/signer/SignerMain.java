package nostr.signer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import nostr.signer.cli.ApproveCommand;
import nostr.signer.cli.BunkerCommand;
import nostr.signer.cli.CliContext;
import nostr.signer.cli.DaemonCommand;
import nostr.signer.cli.GrantCommand;
import nostr.signer.cli.KeyCommand;
import nostr.signer.cli.LockCommand;
import nostr.signer.cli.PolicyCommand;
import nostr.signer.cli.SessionsCommand;
import nostr.signer.cli.StatusCommand;
import nostr.signer.cli.UnlockCommand;
import nostr.signer.daemon.SignerDaemon;

/**
 * {@code nostr-signer}: the org.nostr.Signer daemon ({@code daemon}, the default) and the commands that
 * manage it: a terminal approver, pre-grants, keys, NIP-46 sessions and bunker URIs.
 */
@Command(name = "nostr-signer", mixinStandardHelpOptions = true, version = "nostr-signer 0.1.0",
        description = "Nostr signer daemon (org.nostr.Signer on the session bus) and its tools.",
        subcommands = {DaemonCommand.class, ApproveCommand.class, GrantCommand.class, PolicyCommand.class,
                KeyCommand.class, UnlockCommand.class, LockCommand.class, StatusCommand.class,
                SessionsCommand.class, BunkerCommand.class})
public final class SignerMain implements Callable<Integer> {
    private final CliContext context;
    private final SignerDaemon.BunkerTransport bunkerTransport;

    @Option(names = "--config", scope = ScopeType.INHERIT, description = "Config file (default $XDG_CONFIG_HOME/nostr-signer/signer.conf).")
    void setConfig(Path p) {
        context.setConfigFile(p);
    }

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, description = "Data directory (default $XDG_DATA_HOME/nostr-signer).")
    void setDataDir(Path p) {
        context.setDataDir(p);
    }

    public SignerMain(CliContext context, SignerDaemon.BunkerTransport bunkerTransport) {
        this.context = context;
        this.bunkerTransport = bunkerTransport;
    }

    public CliContext context() {
        return context;
    }

    public SignerDaemon.BunkerTransport bunkerTransport() {
        return bunkerTransport;
    }

    /** Without a subcommand: run the daemon. */
    @Override
    public Integer call() throws Exception {
        return new CommandLine(this).execute("daemon");
    }

    /** Runs a command line with explicit environment and streams; returns the exit code. */
    public static int run(String[] args, CliContext context, SignerDaemon.BunkerTransport transport) {
        CommandLine cl = new CommandLine(new SignerMain(context, transport));
        cl.setOut(new PrintWriter(context.out(), true));
        cl.setErr(new PrintWriter(context.err(), true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        if (args.length == 0) {
            return cl.execute("daemon");
        }
        return cl.execute(args);
    }

    public static void main(String[] args) {
        java.io.Console console = System.console();
        CliContext ctx = new CliContext(Map.copyOf(System.getenv()),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err,
                console != null && console.isTerminal() ? console : null);
        System.exit(run(args, ctx, nostr.signer.bunker.BunkerRelayLink.transport()));
    }
}
