package nostr.relay.config;

import java.util.Locale;

/** Which storage adapter the relay opens. */
public enum StoreKind {
    /** Embedded SQLite file under the data directory (the default). */
    SQLITE,
    /** An external PostgreSQL server ({@code postgres_url}). */
    POSTGRES;

    /** The config spelling: "sqlite" or "postgres". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StoreKind parse(String s) {
        for (StoreKind k : values()) {
            if (k.key().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("store must be 'sqlite' or 'postgres', got '" + s + "'");
    }
}
