package nostr.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nostr nip44 decrypt}: a base64 NIP-44 v2 payload back to its plaintext. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = {"Decrypt a payload from --sender with --sec and print the plaintext.",
                "The payload is the argument, else stdin. A payload that does not decrypt (bad MAC,",
                "version, padding, base64) is a negative answer: exit 1 with the reason."})
final class Nip44DecryptCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    SecretKeyOption secret;

    @Option(names = "--sender", paramLabel = "PUBKEY", required = true, description = "Sender, hex or npub.")
    String sender;

    @Parameters(paramLabel = "PAYLOAD", arity = "0..1", description = "Base64 payload (else stdin).")
    String payload;

    Nip44DecryptCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SecretKey key = secret.require(ctx);
        byte[] conversation = Nip44Command.conversationKey(key, sender, "--sender");
        try {
            String text = Nip44Command.argOrStdin(payload, ctx, "payload").strip();
            ctx.println(Nip44.decrypt(text, conversation));
        } catch (IllegalArgumentException e) {
            throw CliException.negative("cannot decrypt: " + e.getMessage());
        } finally {
            Arrays.fill(conversation, (byte) 0);
            key.destroy();
        }
        return ExitCode.OK;
    }
}
