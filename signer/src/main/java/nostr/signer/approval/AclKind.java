package nostr.signer.approval;

/**
 * The "kind" an access decision is remembered for: an event kind for signing ({@code "1"},
 * {@code "30023"}) or an operation for the crypto calls ({@code "encrypt"}, {@code "decrypt"}).
 * NIP-46 connections use {@code "connect"}.
 */
public final class AclKind {
    public static final String ENCRYPT = "encrypt";
    public static final String DECRYPT = "decrypt";
    public static final String CONNECT = "connect";

    private AclKind() {}

    /** The ACL kind of signing an event of {@code kind}. */
    public static String event(int kind) {
        return Integer.toString(kind);
    }

    /** True when {@code aclKind} names an event kind rather than an operation. */
    public static boolean isEventKind(String aclKind) {
        return !aclKind.isEmpty() && Character.isDigit(aclKind.charAt(0));
    }

    /**
     * Normalizes a user-written kind: a decimal event kind 0..65535 ({@code "007"} becomes
     * {@code "7"}), or encrypt, decrypt, connect.
     *
     * @param where named in the error message (a config key, a CLI option)
     */
    public static String parse(String s, String where) {
        String t = s.strip();
        if (t.equals(ENCRYPT) || t.equals(DECRYPT) || t.equals(CONNECT)) {
            return t;
        }
        if (t.isEmpty() || t.length() > 5 || !t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(where + ": '" + s
                    + "' is neither an event kind (0..65535) nor encrypt/decrypt/connect");
        }
        int k = Integer.parseInt(t);
        if (k > 65535) {
            throw new IllegalArgumentException(where + ": event kind " + k + " is above 65535");
        }
        return Integer.toString(k);
    }
}
