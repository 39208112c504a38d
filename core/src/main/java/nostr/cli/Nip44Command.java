package nostr.cli;

import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;
import picocli.CommandLine.Command;

/** {@code nostr nip44}: the group of NIP-44 v2 payload subcommands (encrypt, decrypt). */
@Command(name = "nip44", mixinStandardHelpOptions = true,
        description = "Encrypt and decrypt NIP-44 v2 payloads between two keys.",
        subcommands = {Nip44EncryptCommand.class, Nip44DecryptCommand.class})
final class Nip44Command implements Runnable {
    @Override
    public void run() {
        throw CliException.usage("missing subcommand: encrypt or decrypt (see 'nostr nip44 --help')");
    }

    /** The conversation key of {@code me} and {@code peer} (hex or npub), or a usage error naming {@code option}. */
    static byte[] conversationKey(SecretKey me, String peer, String option) {
        PublicKey p;
        try {
            p = PublicKey.parse(peer);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
        return Nip44.conversationKey(me, p);
    }

    /**
     * The text argument, else all of stdin with one trailing newline removed (what {@code echo}
     * and most editors add).
     */
    static String argOrStdin(String arg, CliContext ctx, String what) {
        if (arg != null) {
            return arg;
        }
        String s = ctx.stdinText();
        if (s.endsWith("\r\n")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw CliException.usage("no " + what + " given (as an argument or on standard input)");
        }
        return s;
    }
}
