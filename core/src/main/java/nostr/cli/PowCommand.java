package nostr.cli;

import java.util.concurrent.Callable;
import nostr.core.Hex;
import nostr.core.event.Canonical;
import nostr.core.event.EventJson;
import nostr.core.event.EventTemplate;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.nip13.Pow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostr pow}: NIP-13 proof of work on an event template. */
@Command(name = "pow", mixinStandardHelpOptions = true,
        description = {"Mine a NIP-13 nonce so the event id has --difficulty leading zero bits.",
                "The template comes from stdin lines (as for 'event') or from the flags. With --sec",
                "the mined event is signed; otherwise it is printed unsigned (with its id), for the",
                "pubkey given by --pubkey or by the template."})
final class PowCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--difficulty", paramLabel = "BITS", required = true,
            description = "Leading zero bits the id must have (0-256).")
    int difficulty;

    @Option(names = "--threads", paramLabel = "N", description = "Mining threads (default: all processors).")
    Integer threads;

    @Option(names = "--pubkey", paramLabel = "PUBKEY",
            description = "Author to mine for when not signing (hex or npub).")
    String pubkey;

    @Mixin
    SecretKeyOption secret;

    @Mixin
    EventCommand.TemplateOptions template;

    PowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (difficulty < 0 || difficulty > Pow.MAX_DIFFICULTY) {
            throw CliException.usage("--difficulty must be between 0 and " + Pow.MAX_DIFFICULTY + ", got " + difficulty);
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw CliException.usage("--threads must be at least 1, got " + n);
        }
        SecretKey key = secret.present(ctx) ? secret.require(ctx) : null;
        String given = pubkey == null ? null : Inputs.pubkey(pubkey, "--pubkey");
        if (key != null && given != null && !given.equals(key.publicKey().hex())) {
            throw CliException.usage("--pubkey is not the public key of --sec");
        }
        String signer = key != null ? key.publicKey().hex() : given;
        try {
            for (EventTemplate.Parsed p : template.templates(ctx, signer)) {
                String author = signer != null ? signer : p.pubkey();
                if (author == null) {
                    throw CliException.usage("no author to mine for: give --sec, --pubkey, or a template with a pubkey");
                }
                EventTemplate mined = Pow.mine(p.template(), author, difficulty, n);
                ctx.println(key != null ? mined.sign(key).json() : unsigned(mined, author));
            }
        } finally {
            if (key != null) {
                key.destroy();
            }
        }
        return ExitCode.OK;
    }

    /** The unsigned event with its id, for a signer elsewhere to sign. */
    private static String unsigned(EventTemplate t, String pubkey) {
        StringBuilder sb = new StringBuilder(256).append("{\"id\":\"")
                .append(Hex.encode(Canonical.id(pubkey, t.createdAt(), t.kind(), t.tags(), t.content())))
                .append("\",\"pubkey\":\"").append(pubkey).append("\",\"created_at\":").append(t.createdAt())
                .append(",\"kind\":").append(t.kind()).append(",\"tags\":");
        EventJson.appendTags(sb, t.tags());
        sb.append(",\"content\":");
        Json.appendQuoted(sb, t.content());
        return sb.append('}').toString();
    }
}
