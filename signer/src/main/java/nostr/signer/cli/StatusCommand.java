package nostr.signer.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;

/** {@code nostr-signer status}: the running daemon's state as JSON. */
@Command(name = "status", description = "Print the daemon's state (backend, lock, identities) as JSON.")
public final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    private SignerMain main;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = main.context();
        try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
            ctx.out().println(c.control().Status());
        }
        return 0;
    }
}
