package nostr.signer.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;

/** {@code nostr-signer unlock}: unlocks the daemon's ncryptsec key store (passphrase from the terminal or stdin). */
@Command(name = "unlock", description = "Unlock the daemon's ncryptsec key store with its passphrase.")
public final class UnlockCommand implements Callable<Integer> {
    @ParentCommand
    private SignerMain main;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = main.context();
        String passphrase = ctx.readSecretLine("passphrase: ");
        if (passphrase == null || passphrase.isEmpty()) {
            throw new IllegalArgumentException("no passphrase given");
        }
        try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
            boolean ok = c.control().Unlock(passphrase);
            ctx.out().println(ok ? "unlocked" : "wrong passphrase");
            return ok ? 0 : 1;
        }
    }
}
