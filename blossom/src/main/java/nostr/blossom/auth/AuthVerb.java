package nostr.blossom.auth;

/** The {@code t} tag values of BUD-11 authorization tokens: which action a token allows. */
public enum AuthVerb {
    GET("get"),
    UPLOAD("upload"),
    LIST("list"),
    DELETE("delete"),
    MEDIA("media");

    private final String tag;

    AuthVerb(String tag) {
        this.tag = tag;
    }

    /** The {@code t} tag value. */
    public String tag() {
        return tag;
    }
}
