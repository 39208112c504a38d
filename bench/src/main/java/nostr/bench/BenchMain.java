package nostr.bench;

import nostr.bench.relay.ClusterCommand;
import nostr.bench.relay.NegentropyCommand;
import nostr.bench.relay.RelayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/bench}: a dispatcher only. Each subcommand is its own class
 * ({@link JmhCommand} for micro-benchmarks, {@link RelayCommand} for relay load, {@link ClusterCommand}
 * for cross-node delivery of a relay cluster, {@link NegentropyCommand} for NIP-77 reconciliation,
 * {@link BlossomCommand} for Blossom throughput).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Micro-benchmarks and load generators for nostr-stack.",
        subcommands = {JmhCommand.class, RelayCommand.class, ClusterCommand.class, NegentropyCommand.class,
                BlossomCommand.class})
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
