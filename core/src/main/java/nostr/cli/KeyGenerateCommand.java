package nostr.cli;

import java.util.concurrent.Callable;
import nostr.core.keys.SecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nostr key generate}: a fresh random secret key. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Print a new random secret key as hex (or all its forms with --json).")
final class KeyGenerateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--json", description = "Print {\"seckey\",\"nsec\",\"pubkey\",\"npub\"} as one JSON line.")
    boolean json;

    KeyGenerateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SecretKey key = SecretKey.generate();
        try {
            if (json) {
                ctx.println(new JsonLine().put("seckey", key.toHex()).put("nsec", key.toNsec())
                        .put("pubkey", key.publicKey().hex()).put("npub", key.publicKey().npub()).toString());
            } else {
                ctx.println(key.toHex());
            }
        } finally {
            key.destroy();
        }
        return ExitCode.OK;
    }
}
