package nostr.relay.tools;

/**
 * Exit codes of {@code bin/parrhesia}'s subcommands, like the {@code nostr} CLI's: 0 done and
 * every answer positive, 1 a negative answer (an error result, rejected events), 2 usage or
 * configuration, 3 the relay or the store could not be reached or is busy.
 */
final class ToolExit {
    static final int OK = 0;
    static final int NEGATIVE = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;

    private ToolExit() {}
}
