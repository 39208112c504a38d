package nostr.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import nostr.core.client.RelayException;

/** Tallies relay answers into the command's exit code: a refusal beats a network failure. */
final class Outcomes {
    private boolean refused;
    private boolean failed;

    void refused() {
        refused = true;
    }

    void failed(RelayException e) {
        if (e.kind() == RelayException.Kind.REFUSED) {
            refused = true;
        } else {
            failed = true;
        }
    }

    int exitCode() {
        return refused ? ExitCode.NEGATIVE : failed ? ExitCode.NETWORK : ExitCode.OK;
    }

    /** Waits for a pool future (they never fail); an interrupt ends the command. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.network("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a relay pool future failed", e.getCause());
        }
    }
}
