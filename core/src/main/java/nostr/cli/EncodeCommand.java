package nostr.cli;

import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.nip19.Nip19;
import nostr.core.nip19.Nip19Entity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nostr encode}: NIP-19 bech32 from hex. One subcommand per entity type; without one it
 * reads the JSON lines {@code nostr decode} prints and encodes them back.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode NIP-19 entities: npub, nsec, note, nprofile, nevent, naddr.",
                "Without a type, reads the JSON lines 'nostr decode' prints from stdin and re-encodes them."})
final class EncodeCommand implements Callable<Integer> {
    private final CliContext ctx;

    EncodeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (ctx.stdinIsTerminal()) {
            throw CliException.usage("give an entity type (npub, nsec, note, nprofile, nevent, naddr) "
                    + "or pipe 'nostr decode' JSON lines on stdin");
        }
        for (String line : Inputs.argsOrStdin(List.of(), ctx, "JSON entity")) {
            try {
                ctx.println(Nip19.encode(Nip19Json.read(line)));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("cannot encode " + abbreviate(line) + ": " + e.getMessage());
            }
        }
        return ExitCode.OK;
    }

    @Command(name = "npub", mixinStandardHelpOptions = true, description = "Public keys (hex) to npub1...")
    int npub(@Parameters(paramLabel = "PUBKEY", arity = "0..*") List<String> keys) {
        for (String k : Inputs.argsOrStdin(keys, ctx, "public key")) {
            ctx.println(Nip19.npub(Inputs.pubkey(k, "npub")));
        }
        return ExitCode.OK;
    }

    @Command(name = "nsec", mixinStandardHelpOptions = true, description = "Secret keys (hex) to nsec1...")
    int nsec(@Parameters(paramLabel = "SECRET", arity = "0..*") List<String> keys) {
        for (String k : Inputs.argsOrStdin(keys, ctx, "secret key")) {
            try {
                var key = nostr.core.keys.SecretKey.parse(k);
                ctx.println(key.toNsec());
                key.destroy();
            } catch (IllegalArgumentException e) {
                throw CliException.usage("nsec: " + e.getMessage());
            }
        }
        return ExitCode.OK;
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Event ids (hex) to note1...")
    int note(@Parameters(paramLabel = "ID", arity = "0..*") List<String> ids) {
        for (String id : Inputs.argsOrStdin(ids, ctx, "event id")) {
            ctx.println(Nip19.note(Inputs.hex32(id, "note")));
        }
        return ExitCode.OK;
    }

    @Command(name = "nprofile", mixinStandardHelpOptions = true,
            description = "Public keys (hex or npub) with relay hints to nprofile1...")
    int nprofile(@Parameters(paramLabel = "PUBKEY", arity = "0..*") List<String> keys,
                 @Option(names = {"--relay", "-r"}, paramLabel = "URL", description = "Relay hint (repeatable).")
                 List<String> relays) {
        for (String k : Inputs.argsOrStdin(keys, ctx, "public key")) {
            print(new Nip19Entity.Nprofile(Inputs.pubkey(k, "nprofile"), orEmpty(relays)));
        }
        return ExitCode.OK;
    }

    @Command(name = "nevent", mixinStandardHelpOptions = true,
            description = "Event ids (hex or note) with optional relay hints, author and kind to nevent1...")
    int nevent(@Parameters(paramLabel = "ID", arity = "0..*") List<String> ids,
               @Option(names = {"--relay", "-r"}, paramLabel = "URL", description = "Relay hint (repeatable).")
               List<String> relays,
               @Option(names = {"--author", "-a"}, paramLabel = "PUBKEY", description = "Author, hex or npub.")
               String author,
               @Option(names = {"--kind", "-k"}, paramLabel = "N", description = "Event kind.") Integer kind) {
        String a = author == null ? null : Inputs.pubkey(author, "--author");
        checkKind(kind);
        for (String id : Inputs.argsOrStdin(ids, ctx, "event id")) {
            print(new Nip19Entity.Nevent(Inputs.eventId(id, "nevent"), orEmpty(relays), a, kind));
        }
        return ExitCode.OK;
    }

    @Command(name = "naddr", mixinStandardHelpOptions = true,
            description = "The address of a replaceable or addressable event to naddr1...")
    int naddr(@Option(names = {"--identifier", "-d"}, paramLabel = "D", defaultValue = "",
                      description = "The d tag (\"\" for replaceable events).") String identifier,
              @Option(names = {"--pubkey", "-p"}, paramLabel = "PUBKEY", required = true,
                      description = "Author, hex or npub.") String pubkey,
              @Option(names = {"--kind", "-k"}, paramLabel = "N", required = true, description = "Event kind.")
              int kind,
              @Option(names = {"--relay", "-r"}, paramLabel = "URL", description = "Relay hint (repeatable).")
              List<String> relays) {
        checkKind(kind);
        print(new Nip19Entity.Naddr(identifier, Inputs.pubkey(pubkey, "--pubkey"), kind, orEmpty(relays)));
        return ExitCode.OK;
    }

    private void print(Nip19Entity e) {
        try {
            ctx.println(Nip19.encode(e));
        } catch (IllegalArgumentException ex) {
            throw CliException.usage(ex.getMessage());
        }
    }

    private static void checkKind(Integer kind) {
        if (kind != null && kind < 0) {
            throw CliException.usage("--kind must not be negative, got " + kind);
        }
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? "'" + s.substring(0, 57) + "...'" : "'" + s + "'";
    }
}
