package nostr.relay.edge;

/**
 * Handles a {@code POST} to the relay URL {@code /} (NIP-86 management requests). The edge reads
 * the body (at most {@link #maxBodyBytes()} + 1 bytes, so the handler can refuse larger ones) and
 * writes the answer as {@code application/json}; a 401 also gets {@code WWW-Authenticate: Nostr}.
 */
public interface PostHandler {

    /** A status and its JSON body. */
    record Answer(int status, String json) {}

    /** Most body bytes the handler accepts. */
    int maxBodyBytes();

    /**
     * @param contentType the Content-Type header, or null
     * @param authorization the Authorization header, or null
     * @param body the bytes read
     */
    Answer post(String contentType, String authorization, byte[] body);
}
