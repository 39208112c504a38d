package nostr.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nostr} command line ({@code bin/nostr}), in the manner of {@code nak}: JSON lines on
 * stdout, input from arguments or stdin, one-line errors on stderr, exit codes that mean
 * something ({@link ExitCode}). One class per subcommand in this package.
 */
@Command(name = "nostr", mixinStandardHelpOptions = true, versionProvider = NostrCli.Version.class,
        description = "Nostr keys, NIP-19 entities, events, relays and encryption from the command line.",
        subcommands = {KeyCommand.class, EncodeCommand.class, DecodeCommand.class, EventCommand.class,
                VerifyCommand.class, PublishCommand.class, ReqCommand.class, CountCommand.class, Nip44Command.class,
                PowCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = "  NOSTR_SECRET_KEY   default secret key (hex or nsec) for --sec",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:negative answer: invalid event, relay refusal (OK false, CLOSED), decryption failed",
            "2:usage error or bad input (one-line message on stderr)",
            "3:network: relay unreachable, connection lost, or no answer in time",
            "4:internal error (a bug; the message says what failed)",
        })
public final class NostrCli implements Runnable {

    NostrCli(CliContext ctx) {
        // the root command has no state; the constructor matches the factory's
    }

    @Override
    public void run() {
        throw CliException.usage("missing command (see 'nostr --help')");
    }

    /** Runs {@code nostr} with the process's streams and environment, then exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(args, new CliContext(System.in, out, err, System.getenv(), stdinIsTerminal()));
        } catch (Throwable t) {
            err.println("nostr: internal error: " + t);
            code = ExitCode.INTERNAL;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line against {@code ctx}; returns the exit code. Never throws. */
    static int run(String[] args, CliContext ctx) {
        CommandLine cmd = new CommandLine(new NostrCli(ctx), new Factory(ctx));
        cmd.setOut(new PrintWriter(ctx.out(), true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(ctx.err(), true, StandardCharsets.UTF_8));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, a) -> {
            String where = ex.getCommandLine().getCommandName().equals("nostr") ? "nostr"
                    : qualifiedName(ex.getCommandLine());
            ctx.err().println(where + ": " + oneLine(ex.getMessage()) + " (see '" + where + " --help')");
            return ExitCode.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            String where = qualifiedName(c);
            if (ex instanceof CliException e) {
                ctx.err().println(where + ": " + e.getMessage());
                return e.exitCode();
            }
            ctx.err().println(where + ": internal error: " + oneLine(String.valueOf(ex)));
            return ExitCode.INTERNAL;
        });
        try {
            return cmd.execute(args);
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }

    private static String qualifiedName(CommandLine c) {
        return c.getCommandSpec().qualifiedName();
    }

    private static String oneLine(String s) {
        String m = s == null ? "" : s.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /**
     * True when stdin is a terminal. Linux: {@code /proc/self/fd/0} names a tty device; elsewhere
     * the console's own answer.
     */
    static boolean stdinIsTerminal() {
        try {
            Path fd0 = Path.of("/proc/self/fd/0");
            if (Files.exists(fd0, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                String target = Files.readSymbolicLink(fd0).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Creates command objects with the context; picocli's default for everything else. */
    private record Factory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                var ctor = cls.getDeclaredConstructor(CliContext.class);
                ctor.setAccessible(true);
                return ctor.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    /** {@code --version}: the build's version from the jar manifest, else "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NostrCli.class.getPackage().getImplementationVersion();
            return new String[] {"nostr " + (v == null ? "(development build)" : v)};
        }
    }

    /** For tests: {@link #run} with given streams and environment, stdin not a terminal. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new CliContext(in, out, err, env, false));
    }
}
