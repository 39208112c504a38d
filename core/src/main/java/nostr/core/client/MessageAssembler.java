package nostr.core.client;

/**
 * Joins the parts of one WebSocket text message. A relay may fragment a message into several
 * frames, and the JDK client may hand even one frame over in several {@code onText} calls; only
 * the call with {@code last == true} completes a message. Messages longer than the limit are
 * refused before they are buffered whole.
 */
final class MessageAssembler {
    private final int maxChars;
    private StringBuilder buffer;

    MessageAssembler(int maxChars) {
        this.maxChars = maxChars;
    }

    /** Thrown when a message grows past the limit. */
    static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Adds a part. Returns the whole message when {@code last}, else null.
     *
     * @throws TooLargeException when the message exceeds the limit; the partial message is dropped
     */
    String append(CharSequence part, boolean last) throws TooLargeException {
        int have = buffer == null ? 0 : buffer.length();
        if ((long) have + part.length() > maxChars) {
            buffer = null;
            throw new TooLargeException("relay message is longer than " + maxChars + " characters");
        }
        if (last && buffer == null) {
            return part.toString();
        }
        if (buffer == null) {
            buffer = new StringBuilder(Math.max(256, part.length() * 2));
        }
        buffer.append(part);
        if (!last) {
            return null;
        }
        String whole = buffer.toString();
        buffer = null;
        return whole;
    }

    /** True while a message is partly received. */
    boolean inProgress() {
        return buffer != null;
    }
}
