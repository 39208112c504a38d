package nostr.relay.config;

/** The configuration is unusable; the message names the key, the value and where it came from. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
