package nostr.cli;

/** The exit codes of the {@code nostr} command; listed in its help and in core/README.md. */
final class ExitCode {
    /** Everything asked for was done, and every answer was positive. */
    static final int OK = 0;
    /** A negative answer: an invalid event, a relay that refused (OK false, CLOSED), a failed decryption. */
    static final int NEGATIVE = 1;
    /** Usage error or bad input: unknown option, malformed key, JSON, URL or entity. */
    static final int USAGE = 2;
    /** A relay could not be reached, dropped the connection, or did not answer in time. */
    static final int NETWORK = 3;
    /** A bug in this program: the message says what failed. */
    static final int INTERNAL = 4;

    private ExitCode() {}
}
