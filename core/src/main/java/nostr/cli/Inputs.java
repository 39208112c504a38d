package nostr.cli;

import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;
import nostr.core.keys.PublicKey;
import nostr.core.nip19.Nip19;
import nostr.core.nip19.Nip19Entity;

/** Reading command inputs the nak way (arguments, else standard input lines) and checking values. */
final class Inputs {
    private Inputs() {}

    /**
     * {@code args} when given, else the non-blank lines of standard input (stripped).
     *
     * @param what what is expected, for the error when there is nothing
     */
    static List<String> argsOrStdin(List<String> args, CliContext ctx, String what) {
        List<String> out = new ArrayList<>();
        if (args != null && !args.isEmpty()) {
            args.forEach(a -> out.add(a.strip()));
        } else {
            for (String line : ctx.stdinLines()) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        }
        if (out.isEmpty()) {
            throw CliException.usage("no " + what + " given (as arguments or on standard input)");
        }
        return out;
    }

    /** A public key from hex, npub or nprofile; usage error naming {@code option} otherwise. */
    static String pubkey(String value, String option) {
        try {
            return PublicKey.parse(value).hex();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + e.getMessage() + ": " + value);
        }
    }

    /** An event id from hex, note or nevent; usage error naming {@code option} otherwise. */
    static String eventId(String value, String option) {
        String v = value.strip();
        if (v.startsWith("note1") || v.startsWith("nevent1") || v.startsWith("nostr:")) {
            try {
                return switch (Nip19.decode(v)) {
                    case Nip19Entity.Note n -> n.id();
                    case Nip19Entity.Nevent e -> e.id();
                    default -> throw new IllegalArgumentException("not an event id");
                };
            } catch (IllegalArgumentException e) {
                throw CliException.usage(option + ": " + e.getMessage() + ": " + value);
            }
        }
        return hex32(v, option);
    }

    /** 64 hex characters (any case), returned lowercase. */
    static String hex32(String value, String option) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!Hex.isLowerHex(v, 64)) {
            throw CliException.usage(option + ": expected 64 hex characters, got '" + value + "'");
        }
        return v;
    }

    /**
     * A tag from {@code name=value1,value2}: {@code ["name","value1","value2"]}; {@code name} alone
     * is a one-element tag (such as NIP-70's {@code -}), {@code name=} has one empty value.
     */
    static List<String> tag(String spec) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? spec : spec.substring(0, eq);
        if (name.isEmpty()) {
            throw CliException.usage("--tag: missing tag name in '" + spec + "' (expected name=value1,value2)");
        }
        List<String> tag = new ArrayList<>();
        tag.add(name);
        if (eq >= 0) {
            tag.addAll(List.of(spec.substring(eq + 1).split(",", -1)));
        }
        return tag;
    }
}
