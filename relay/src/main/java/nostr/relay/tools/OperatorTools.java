package nostr.relay.tools;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The operator subcommands of {@code bin/parrhesia}, one class each: {@code admin} (NIP-86
 * client), {@code export}, {@code import}, {@code stats}, {@code compact} (alias {@code vacuum}),
 * {@code sync} (NIP-77 negentropy with another relay).
 */
public final class OperatorTools {
    private OperatorTools() {}

    /** Adds the subcommands to the relay's command line. */
    public static CommandLine addTo(CommandLine parrhesia) {
        return parrhesia.addSubcommand(new AdminCommand())
                .addSubcommand(new ExportCommand())
                .addSubcommand(new ImportCommand())
                .addSubcommand(new StatsCommand())
                .addSubcommand(new CompactCommand())
                .addSubcommand(new SyncCommand());
    }

    /** Standard output and error as UTF-8 whatever the locale (events are UTF-8 and must stay byte-exact). */
    public static CommandLine withUtf8Streams(CommandLine cmd) {
        cmd.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        return cmd;
    }
}
