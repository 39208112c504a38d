package nostr.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/bench}: a dispatcher only. Each subcommand is its own class
 * ({@link JmhCommand} for micro-benchmarks, {@link BlossomCommand} for Blossom throughput; load generators add theirs to {@code subcommands}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Micro-benchmarks and load generators for nostr-stack.",
        subcommands = {JmhCommand.class, BlossomCommand.class})
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
