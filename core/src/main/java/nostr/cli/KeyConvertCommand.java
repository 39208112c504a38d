package nostr.cli;

import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nostr key convert}: hex to nsec/npub and back. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert keys between hex and bech32: nsec1... and npub1... (and nprofile1...) become hex;",
                "hex becomes npub or nsec as --to says (hex alone does not tell which it is)."})
final class KeyConvertCommand implements Callable<Integer> {
    enum Target { npub, nsec }

    private final CliContext ctx;

    @Parameters(paramLabel = "KEY", description = "Keys to convert (else stdin lines).")
    List<String> values;

    @Option(names = "--to", paramLabel = "npub|nsec", description = "What hex input is: a public (npub) or secret (nsec) key.")
    Target to;

    KeyConvertCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        for (String v : Inputs.argsOrStdin(values, ctx, "key")) {
            ctx.println(convert(v));
        }
        return ExitCode.OK;
    }

    private String convert(String v) {
        try {
            if (v.startsWith("nsec1")) {
                if (to == Target.nsec) {
                    throw CliException.usage("'" + v.substring(0, 5) + "...' is already an nsec");
                }
                SecretKey k = SecretKey.parse(v);
                String hex = k.toHex();
                k.destroy();
                return hex;
            }
            if (v.startsWith("npub1") || v.startsWith("nprofile1")) {
                if (to == Target.npub) {
                    throw CliException.usage("'" + v + "' is already an npub");
                }
                return PublicKey.parse(v).hex();
            }
            String hex = Inputs.hex32(v, "key");
            if (to == null) {
                throw CliException.usage("hex key '" + v + "' could be public or secret: say --to npub or --to nsec");
            }
            if (to == Target.npub) {
                return PublicKey.parse(hex).npub();
            }
            SecretKey k = SecretKey.parse(hex);
            String nsec = k.toNsec();
            k.destroy();
            return nsec;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
