package nostr.relay.tools;

/** Ends a subcommand with an exit code ({@link ToolExit}) and a one-line message for standard error. */
final class ToolFailure extends RuntimeException {
    private final int exitCode;

    ToolFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static ToolFailure usage(String message) {
        return new ToolFailure(ToolExit.USAGE, message);
    }

    static ToolFailure unavailable(String message) {
        return new ToolFailure(ToolExit.UNAVAILABLE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
