package nostr.core.filter;

/** A malformed or unsupported filter; the message names the field and the problem. */
public final class FilterException extends Exception {
    public FilterException(String message) {
        super(message, null, false, false);
    }
}
