package nostr.cli;

import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.keys.SecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nostr key public}: the public key of each secret key. */
@Command(name = "public", mixinStandardHelpOptions = true,
        description = "Print the public key (hex, or npub with --npub) of each secret key given as an argument, "
                + "else on stdin lines, else in $NOSTR_SECRET_KEY.")
final class KeyPublicCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "SECRET", description = "Secret keys, hex or nsec.")
    List<String> keys;

    @Option(names = "--npub", description = "Print npub1... instead of hex.")
    boolean npub;

    KeyPublicCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<String> inputs = keys == null ? List.of() : keys;
        if (inputs.isEmpty() && !ctx.stdinIsTerminal()) {
            inputs = ctx.stdinLines().stream().filter(l -> !l.isBlank()).map(String::strip).toList();
        }
        String env = ctx.env().get(CliContext.SECRET_KEY_ENV);
        if (inputs.isEmpty() && env != null && !env.isBlank()) {
            inputs = List.of(env);
        }
        if (inputs.isEmpty()) {
            throw CliException.usage("no secret key given (as arguments, on standard input or in "
                    + CliContext.SECRET_KEY_ENV + ")");
        }
        for (String s : inputs) {
            SecretKey key;
            try {
                key = SecretKey.parse(s);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
            ctx.println(npub ? key.publicKey().npub() : key.publicKey().hex());
            key.destroy();
        }
        return ExitCode.OK;
    }
}
