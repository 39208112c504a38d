package nostr.cli;

import picocli.CommandLine.Command;

/** {@code nostr key}: the group of key subcommands (generate, public, convert). */
@Command(name = "key", description = "Generate keys, derive public keys, convert between hex and nsec/npub.",
        mixinStandardHelpOptions = true,
        subcommands = {KeyGenerateCommand.class, KeyPublicCommand.class, KeyConvertCommand.class})
final class KeyCommand implements Runnable {
    @Override
    public void run() {
        throw CliException.usage("missing subcommand: generate, public or convert (see 'nostr key --help')");
    }
}
