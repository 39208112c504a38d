package nostr.relay.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Lifecycle shared by the storage contract suites: a fresh storage per test, and reopening it. */
public abstract class StorageContract {
    protected Storage storage;

    /** An empty storage of the adapter under test. */
    protected abstract Storage openFresh() throws Exception;

    /** The same storage opened again after {@link Storage#close()}. */
    protected abstract Storage reopen() throws Exception;

    @BeforeEach
    void openStorage() throws Exception {
        storage = openFresh();
        opened();
    }

    /** Called after each (re)open, for subclasses that keep references into the storage. */
    protected void opened() {}

    /** Closes and reopens the storage (durability checks). */
    protected void closeAndReopen() throws Exception {
        storage.close();
        storage = reopen();
        opened();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }
}
