package nostr.signer.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;

/** {@code nostr-signer lock}: zeroes the daemon's unlocked keys now. */
@Command(name = "lock", description = "Lock the daemon now (zero every unlocked key).")
public final class LockCommand implements Callable<Integer> {
    @ParentCommand
    private SignerMain main;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = main.context();
        try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
            c.control().Lock();
            ctx.out().println("locked");
        }
        return 0;
    }
}
