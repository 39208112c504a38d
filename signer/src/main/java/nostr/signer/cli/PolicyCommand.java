package nostr.signer.cli;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;
import nostr.signer.approval.Decision;
import nostr.signer.approval.PolicyStore;

/** {@code nostr-signer policy list|revoke <app>}: shows or removes remembered decisions. */
@Command(name = "policy", description = "List or revoke remembered decisions.",
        subcommands = {PolicyCommand.ListDecisions.class, PolicyCommand.Revoke.class})
public final class PolicyCommand {
    @ParentCommand
    SignerMain main;

    @Command(name = "list", description = "List remembered decisions in the policy file.")
    static final class ListDecisions implements Callable<Integer> {
        @ParentCommand
        private PolicyCommand parent;

        @Override
        public Integer call() {
            CliContext ctx = parent.main.context();
            PolicyStore store = new PolicyStore(ctx.config().policyFile(), InstantSource.system());
            for (Decision d : store.list()) {
                ctx.out().printf("%s\t%s\t%s\t%s\t%s%n", d.app(), d.identity(), d.kind(), d.allow() ? "allow" : "deny",
                        d.expiresAt() == 0 ? "forever" : Instant.ofEpochSecond(d.expiresAt()).toString());
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Remove every remembered decision of an app.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        private PolicyCommand parent;

        @Parameters(index = "0", paramLabel = "APP")
        private String app;

        @Override
        public Integer call() {
            CliContext ctx = parent.main.context();
            int n = new PolicyStore(ctx.config().policyFile(), InstantSource.system()).revoke(app);
            ctx.out().println("revoked " + n + " decision(s) of " + app);
            return n > 0 ? 0 : 1;
        }
    }
}
