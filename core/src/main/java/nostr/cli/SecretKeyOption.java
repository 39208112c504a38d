package nostr.cli;

import nostr.core.keys.SecretKey;
import picocli.CommandLine.Option;

/** The {@code --sec KEY} option shared by signing commands, defaulting to {@code $NOSTR_SECRET_KEY}. */
final class SecretKeyOption {

    @Option(names = "--sec", paramLabel = "KEY",
            description = "Secret key, 64 hex characters or nsec1... (default: $NOSTR_SECRET_KEY).")
    String sec;

    /** True when a key was given by option or environment. */
    boolean present(CliContext ctx) {
        return sec != null || notBlank(ctx.env().get(CliContext.SECRET_KEY_ENV));
    }

    /** The key, or a usage error naming where it came from and what is wrong. */
    SecretKey require(CliContext ctx) {
        String source = "--sec";
        String value = sec;
        if (value == null) {
            value = ctx.env().get(CliContext.SECRET_KEY_ENV);
            source = "$" + CliContext.SECRET_KEY_ENV;
        }
        if (!notBlank(value)) {
            throw CliException.usage("a secret key is needed: pass --sec KEY or set " + CliContext.SECRET_KEY_ENV);
        }
        try {
            return SecretKey.parse(value);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(source + ": " + e.getMessage());
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
