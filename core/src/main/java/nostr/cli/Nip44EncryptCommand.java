package nostr.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nostr nip44 encrypt}: plaintext to a base64 NIP-44 v2 payload. */
@Command(name = "encrypt", mixinStandardHelpOptions = true,
        description = {"Encrypt a plaintext for --recipient with --sec and print the base64 payload.",
                "The plaintext is the argument, else all of stdin minus one trailing newline."})
final class Nip44EncryptCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    SecretKeyOption secret;

    @Option(names = "--recipient", paramLabel = "PUBKEY", required = true, description = "Recipient, hex or npub.")
    String recipient;

    @Parameters(paramLabel = "PLAINTEXT", arity = "0..1", description = "Text to encrypt (else stdin).")
    String plaintext;

    Nip44EncryptCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SecretKey key = secret.require(ctx);
        byte[] conversation = Nip44Command.conversationKey(key, recipient, "--recipient");
        try {
            ctx.println(Nip44.encrypt(Nip44Command.argOrStdin(plaintext, ctx, "plaintext"), conversation));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } finally {
            Arrays.fill(conversation, (byte) 0);
            key.destroy();
        }
        return ExitCode.OK;
    }
}
