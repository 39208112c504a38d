package nostr.signer.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;
import nostr.signer.files.JsonData;

/** {@code nostr-signer sessions list|revoke <client-pubkey>}: NIP-46 client sessions of the running daemon. */
@Command(name = "sessions", description = "List or revoke NIP-46 client sessions.",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Revoke.class})
public final class SessionsCommand {
    @ParentCommand
    SignerMain main;

    @Command(name = "list", description = "List sessions (client, state, permissions, last seen).")
    static final class ListSessions implements Callable<Integer> {
        @ParentCommand
        private SessionsCommand parent;

        @Option(names = "--json", description = "Print JSON.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = parent.main.context();
            try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
                String text = c.control().ListSessions();
                if (json) {
                    ctx.out().println(text);
                    return 0;
                }
                for (Object o : (List<?>) JsonData.parse(text)) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    ctx.out().printf("%s\t%s\t%s\tperms=%s\tlast_seen=%s%n", m.get("client_pubkey"), m.get("state"),
                            m.get("name"), m.get("perms"), m.get("last_seen"));
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke the sessions of a client pubkey (hex or npub).")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        private SessionsCommand parent;

        @Parameters(index = "0", paramLabel = "CLIENT_PUBKEY")
        private String client;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = parent.main.context();
            try (SignerClient c = SignerClient.connect(ctx.busAddress())) {
                boolean ok = c.control().RevokeSession(client);
                ctx.out().println(ok ? "revoked " + client : "no session of " + client);
                return ok ? 0 : 1;
            }
        }
    }
}
