package nostr.relay.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: output through picocli's writers (UTF-8 in {@code bin/parrhesia},
 * captured in tests) and failures printed as {@code parrhesia <command>: <reason>} with their exit code.
 */
abstract class ToolCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Does the work; returns the exit code or throws {@link ToolFailure}. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (ToolFailure f) {
            err().println("parrhesia " + spec.name() + ": " + f.getMessage());
            err().flush();
            return f.exitCode();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
