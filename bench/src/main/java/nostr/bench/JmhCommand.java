package nostr.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bench jmh [JMH args...]}: runs the JMH benchmarks of {@code nostr.bench.jmh} in this
 * process (JMH forks its measurement JVMs itself), with JMH's own command line, e.g.
 * {@code bench jmh -f 1 -wi 2 -i 3 -w 2s -r 3s EventBenchmark}. {@code bench jmh -h} prints JMH's
 * options, {@code bench jmh -l} lists the benchmarks.
 */
@Command(name = "jmh", description = "Run JMH micro-benchmarks; every argument is passed to JMH (try -h, -l).")
public final class JmhCommand implements Callable<Integer> {

    @Unmatched
    private List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws RunnerException, java.io.IOException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("bench jmh: " + e.getMessage());
            return 2;
        }
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        Runner runner = new Runner(options);
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        if (options.shouldListProfilers()) {
            options.listProfilers();
            return 0;
        }
        runner.run();
        return 0;
    }
}
