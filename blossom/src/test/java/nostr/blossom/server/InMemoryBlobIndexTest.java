package nostr.blossom.server;

/** The blob index contract on the in-memory index (reopening keeps the same instance: it lives as long as the JVM). */
class InMemoryBlobIndexTest extends BlobIndexContract {
    private InMemoryBlobIndex current;

    @Override
    protected BlobIndex openFresh() {
        current = new InMemoryBlobIndex();
        return current;
    }

    @Override
    protected BlobIndex reopen() {
        return current;
    }

    @Override
    protected void closeIndex() {
        current = null;
    }
}
