package nostr.core.client;

import java.io.IOException;
import java.util.Objects;

/**
 * Why a request to a relay did not get an answer, or got a refusal that is not an OK message.
 * The message names the relay and the reason, e.g. {@code "ws://127.0.0.1:7777: connection refused"}.
 */
public final class RelayException extends IOException {

    /** What went wrong, for callers that react differently (retry, report, give up). */
    public enum Kind {
        /** The connection could not be opened: refused, unknown host, WebSocket upgrade refused. */
        CONNECT_FAILED,
        /** No answer (connection, OK, COUNT or EOSE) within the configured time. */
        TIMEOUT,
        /** The relay closed the connection or it broke, and it could not be re-established. */
        CONNECTION_LOST,
        /** The relay refused the request with {@code CLOSED} (COUNT), {@code NEG-ERR} (NIP-77), or the AUTH was refused. */
        REFUSED,
        /** The client was closed by its owner before the answer came. */
        CLIENT_CLOSED,
        /**
         * The relay does not do what was asked: for NIP-77, it answered NEG-OPEN with NOTICE,
         * CLOSED or {@code NEG-ERR "unsupported: ..."}, or spoke another negentropy version.
         */
        UNSUPPORTED
    }

    /** What went wrong. */
    private final Kind kind;

    /**
     * @param kind what went wrong
     * @param message the human reason, naming the relay
     */
    public RelayException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * @param kind what went wrong
     * @param message the human reason, naming the relay
     * @param cause the underlying I/O error
     */
    public RelayException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }
}
