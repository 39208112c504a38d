package nostr.cli;

/**
 * Ends a command with an exit code and a one-line message for standard error. Commands throw it;
 * {@link NostrCli} prints {@code nostr <command>: <message>} and exits with {@link #exitCode()}.
 */
final class CliException extends RuntimeException {
    private final int exitCode;

    private CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** Bad usage or input: exit 2. */
    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    /** A negative answer: exit 1. */
    static CliException negative(String message) {
        return new CliException(ExitCode.NEGATIVE, message);
    }

    /** A network failure: exit 3. */
    static CliException network(String message) {
        return new CliException(ExitCode.NETWORK, message);
    }

    int exitCode() {
        return exitCode;
    }
}
