package nostr.relay.ingest;

import nostr.core.event.Event;
import nostr.core.event.KindClass;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.store.WriteStatus;
import nostr.relay.subscription.FanOut;

/**
 * The EVENT path after the connection's own checks: verify (id, then BIP-340 signature) on the
 * {@link SignatureVerifier} pool, then either fan out at once (ephemeral kinds, never stored) or
 * go through the {@link GroupCommitWriter} (everything else), answering OK only when the outcome
 * is final: after the commit for stored events. The writer hands newly stored events to fan-out
 * itself, after the commit.
 */
public final class Ingester {
    static final String BAD_ID = "invalid: event id does not match the sha256 of its NIP-01 serialization";
    static final String BAD_SIGNATURE = "invalid: signature is not a valid BIP-340 signature of the id by pubkey";

    private final SignatureVerifier verifier;
    private final GroupCommitWriter writer;
    private final FanOut fanOut;
    private final RelayMetrics metrics;

    public Ingester(SignatureVerifier verifier, GroupCommitWriter writer, FanOut fanOut, RelayMetrics metrics) {
        this.verifier = verifier;
        this.writer = writer;
        this.fanOut = fanOut;
        this.metrics = metrics;
    }

    /**
     * Starts the path for one event. {@code sink} gets exactly one OK, from another thread.
     * Waits while the verify stage is full.
     *
     * @param receivedNanos when the EVENT arrived ({@link System#nanoTime()}), for OK latency
     */
    public void submit(Event event, OkSink sink, long receivedNanos) throws InterruptedException {
        if (!verifier.submit(() -> verifyAndRoute(event, sink, receivedNanos))) {
            answer(sink, event, false, GroupCommitWriter.SHUTTING_DOWN, receivedNanos);
        }
    }

    private void verifyAndRoute(Event event, OkSink sink, long receivedNanos) {
        if (!event.hasValidId()) {
            answer(sink, event, false, BAD_ID, receivedNanos);
            return;
        }
        if (!event.hasValidSignature()) {
            answer(sink, event, false, BAD_SIGNATURE, receivedNanos);
            return;
        }
        try {
            if (event.kindClass() == KindClass.EPHEMERAL) {
                fanOut.ephemeral(event);
                metrics.accepted("ephemeral");
                answer(sink, event, true, "", receivedNanos);
                return;
            }
            writer.submit(event, (status, error) -> {
                if (error != null) {
                    answer(sink, event, false, error, receivedNanos);
                } else {
                    written(sink, event, status, receivedNanos);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(sink, event, false, GroupCommitWriter.SHUTTING_DOWN, receivedNanos);
        }
    }

    private void written(OkSink sink, Event event, WriteStatus status, long receivedNanos) {
        switch (status) {
            case STORED -> {
                metrics.accepted("stored");
                answer(sink, event, true, "", receivedNanos);
            }
            case DUPLICATE -> {
                metrics.accepted("duplicate");
                answer(sink, event, true, "duplicate: already have this event", receivedNanos);
            }
            case SUPERSEDED -> {
                metrics.accepted("superseded");
                answer(sink, event, true, "duplicate: a newer version of this replaceable event is already stored", receivedNanos);
            }
            case DELETED -> answer(sink, event, false, "blocked: this event was deleted by its author (NIP-09)", receivedNanos);
            case VANISHED -> answer(sink, event, false, "blocked: its author asked this relay to erase their events (NIP-62)", receivedNanos);
        }
    }

    private void answer(OkSink sink, Event event, boolean accepted, String message, long receivedNanos) {
        if (!accepted) {
            metrics.rejected(message);
        }
        metrics.okLatency(System.nanoTime() - receivedNanos);
        sink.ok(event.id(), accepted, message);
    }
}
