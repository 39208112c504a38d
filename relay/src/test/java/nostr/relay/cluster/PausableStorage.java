package nostr.relay.cluster;

import java.util.Optional;
import nostr.blossom.server.BlobIndex;
import nostr.relay.store.AdminStore;
import nostr.relay.store.CommitJournal;
import nostr.relay.store.EventStore;
import nostr.relay.store.GroupStore;
import nostr.relay.store.MaintenanceStore;
import nostr.relay.store.ModerationStore;
import nostr.relay.store.Storage;
import nostr.relay.testing.PausingStore;

/** A real storage whose stored queries (REQ) can be held at their start or end, to stage races. */
final class PausableStorage implements Storage {
    final PausingStore events;
    private final Storage delegate;

    PausableStorage(Storage delegate) {
        this.delegate = delegate;
        this.events = new PausingStore(delegate.events());
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public ModerationStore moderation() {
        return delegate.moderation();
    }

    @Override
    public GroupStore groups() {
        return delegate.groups();
    }

    @Override
    public AdminStore admin() {
        return delegate.admin();
    }

    @Override
    public BlobIndex blobs() {
        return delegate.blobs();
    }

    @Override
    public MaintenanceStore maintenance() {
        return delegate.maintenance();
    }

    @Override
    public Optional<CommitJournal> journal() {
        return delegate.journal();
    }

    @Override
    public boolean isHealthy() {
        return delegate.isHealthy();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
