package nostr.signer.cli;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import nostr.core.keys.PublicKey;
import nostr.signer.SignerMain;
import nostr.signer.approval.AclKind;
import nostr.signer.approval.Decision;
import nostr.signer.approval.PolicyStore;
import nostr.signer.config.SignerConfig;

/**
 * {@code nostr-signer grant <app> --kinds 1,7,encrypt --ttl 3600}: pre-grants (or with {@code --deny}
 * pre-denies) an app on a headless machine by writing the policy file directly. A running daemon
 * picks the change up on its next request.
 */
@Command(name = "grant", description = "Pre-grant an app kinds (event kinds, encrypt, decrypt) in the policy file.")
public final class GrantCommand implements Callable<Integer> {
    @ParentCommand
    private SignerMain main;

    @Parameters(index = "0", paramLabel = "APP", description = "App id: what callers pass as app_id, or their executable path.")
    private String app;

    @Option(names = "--kinds", required = true, split = ",", paramLabel = "KIND",
            description = "Event kinds and/or encrypt, decrypt (comma-separated).")
    private List<String> kinds;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "Lifetime in seconds; 0 = forever (default approval-ttl-hours).")
    private Long ttl;

    @Option(names = "--identity", paramLabel = "NPUB", defaultValue = "*", description = "Identity npub, or * for all (default).")
    private String identity;

    @Option(names = "--deny", description = "Record a denial instead.")
    private boolean deny;

    @Override
    public Integer call() {
        CliContext ctx = main.context();
        SignerConfig config = ctx.config();
        String who = identity.equals(Decision.ANY_IDENTITY) ? identity : PublicKey.parse(identity).npub();
        if (app.isBlank()) {
            throw new IllegalArgumentException("app id must not be empty");
        }
        Duration lifetime = ttl != null ? Duration.ofSeconds(ttl) : config.approvalTtl();
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("--ttl must not be negative");
        }
        PolicyStore store = new PolicyStore(config.policyFile(), InstantSource.system());
        for (String k : kinds) {
            String kind = AclKind.parse(k, "--kinds");
            Decision d = store.remember(app.strip(), who, kind, !deny, lifetime);
            ctx.out().printf("%s %s kind %s as %s %s%n", deny ? "denied" : "granted", d.app(), d.kind(), d.identity(),
                    d.expiresAt() == 0 ? "forever" : "until " + java.time.Instant.ofEpochSecond(d.expiresAt()));
        }
        return 0;
    }
}
