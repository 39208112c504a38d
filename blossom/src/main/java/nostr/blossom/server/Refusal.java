package nostr.blossom.server;

/** A request the server answers with an error status and an {@code X-Reason} (BUD-01 "Error responses"). */
final class Refusal extends Exception {
    private final int status;

    Refusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
