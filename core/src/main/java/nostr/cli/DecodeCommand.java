package nostr.cli;

import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.nip19.Nip19;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nostr decode}: NIP-19 bech32 (or NIP-21 nostr: URIs) to one JSON line each. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Decode NIP-19 entities to JSON lines.",
                "Takes npub, nsec, note, nprofile, nevent and naddr (a nostr: prefix is allowed) and prints e.g.",
                "{\"type\":\"npub\",\"pubkey\":\"<hex>\"}; 'nostr encode' reads these lines back."})
final class DecodeCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "ENTITY", description = "Entities to decode (else stdin lines).")
    List<String> values;

    DecodeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        for (String v : Inputs.argsOrStdin(values, ctx, "NIP-19 entity")) {
            try {
                ctx.println(Nip19Json.write(Nip19.decode(v)));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("cannot decode " + EncodeCommand.abbreviate(v) + ": " + e.getMessage());
            }
        }
        return ExitCode.OK;
    }
}
