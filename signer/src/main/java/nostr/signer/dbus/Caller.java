package nostr.signer.dbus;

/**
 * Who is calling, as the bus daemon vouches for it.
 *
 * @param sender unique bus name ({@code :1.42})
 * @param uid Unix user id of the connection
 * @param pid process id of the connection
 * @param executable {@code /proc/<pid>/exe}, or "" when it cannot be read
 */
public record Caller(String sender, long uid, long pid, String executable) {

    /** The app id a request is filed under: the one given, else the executable, else the bus name. */
    public String appId(String given) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        return executable.isEmpty() ? sender : executable;
    }
}
