package nostr.core.json;

/** Well-formed JSON whose values break the expected shape; the message names the field and the problem. */
public final class JsonValueException extends RuntimeException {
    public JsonValueException(String message) {
        super(message, null, false, false);
    }
}
