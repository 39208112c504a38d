package nostr.signer.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;

/** {@code nostr-signer bunker uri|connect}: NIP-46 connection tokens through the running daemon. */
@Command(name = "bunker", description = "NIP-46 bunker: make bunker:// URIs, accept nostrconnect:// URIs.",
        subcommands = {BunkerCommand.Uri.class, BunkerCommand.Connect.class})
public final class BunkerCommand {
    @ParentCommand
    SignerMain main;

    @Command(name = "uri", description = "Print a bunker:// URI with a fresh single-use secret.")
    static final class Uri implements Callable<Integer> {
        @ParentCommand
        private BunkerCommand parent;

        @Option(names = "--identity", defaultValue = "", description = "Identity selector (default bunker-identity).")
        private String identity;

        @Option(names = "--perms", defaultValue = "", description = "Permissions the secret grants, e.g. sign_event:1,nip44_encrypt.")
        private String perms;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = parent.main.context();
            try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
                ctx.out().println(c.control().CreateBunkerUri(identity, perms));
            }
            return 0;
        }
    }

    @Command(name = "connect", description = "Accept a nostrconnect:// URI from a client.")
    static final class Connect implements Callable<Integer> {
        @ParentCommand
        private BunkerCommand parent;

        @Parameters(index = "0", paramLabel = "NOSTRCONNECT_URI")
        private String uri;

        @Option(names = "--identity", defaultValue = "", description = "Identity selector (default bunker-identity).")
        private String identity;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = parent.main.context();
            try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
                ctx.out().println("connected client " + c.control().AcceptNostrConnect(uri, identity));
            }
            return 0;
        }
    }
}
