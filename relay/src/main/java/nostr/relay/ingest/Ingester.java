package nostr.relay.ingest;

import nostr.core.event.Event;
import nostr.core.event.KindClass;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.store.WriteStatus;
import nostr.relay.subscription.FanOut;

/**
 * The EVENT path after the connection's own checks: the {@link KindRules} checks of special kinds,
 * verify (id, then BIP-340 signature) on the {@link SignatureVerifier} pool, then one of: the
 * kind's {@link KindRules.RequestHandler} (NIP-43 requests, answered by membership), the writer's
 * vanish path (NIP-62 kind 62), fan-out at once (ephemeral kinds, never stored), or the
 * {@link GroupCommitWriter} (everything else, kind 5 deletion requests included), answering OK
 * only when the outcome is final: after the commit for stored events. The writer hands newly
 * stored events to fan-out itself, after the commit.
 */
public final class Ingester {
    static final String BAD_ID = "invalid: event id does not match the sha256 of its NIP-01 serialization";
    static final String BAD_SIGNATURE = "invalid: signature is not a valid BIP-340 signature of the id by pubkey";

    private final SignatureVerifier verifier;
    private final GroupCommitWriter writer;
    private final FanOut fanOut;
    private final RelayMetrics metrics;
    private final KindRules rules;
    private final java.time.Clock clock;

    public Ingester(SignatureVerifier verifier, GroupCommitWriter writer, FanOut fanOut, RelayMetrics metrics) {
        this(verifier, writer, fanOut, metrics, KindRules.none(), java.time.Clock.systemUTC());
    }

    /** @param rules checks and handlers of the kinds NIPs give a special meaning */
    public Ingester(SignatureVerifier verifier, GroupCommitWriter writer, FanOut fanOut, RelayMetrics metrics,
                    KindRules rules, java.time.Clock clock) {
        this.verifier = verifier;
        this.writer = writer;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Starts the path for one event. {@code sink} gets exactly one OK, from another thread.
     * Waits while the verify stage is full.
     *
     * @param receivedNanos when the EVENT arrived ({@link System#nanoTime()}), for OK latency
     */
    public void submit(Event event, OkSink sink, long receivedNanos) throws InterruptedException {
        String refusal = rules.check(event, clock.millis() / 1000);
        if (refusal != null) {
            answer(sink, event, false, refusal, receivedNanos);
            return;
        }
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
        KindRules.RequestHandler handler = rules.handler(event.kind());
        if (handler != null) {
            handler.handle(event, (id, accepted, message) -> answer(sink, event, accepted, message, receivedNanos),
                    () -> route(event, sink, receivedNanos));
            return;
        }
        route(event, sink, receivedNanos);
    }

    /** The usual path of a verified event: vanish, fan-out (ephemeral) or the writer. */
    private void route(Event event, OkSink sink, long receivedNanos) {
        try {
            if (event.kind() == GroupCommitWriter.VANISH) {
                writer.submitVanish(event, (removed, error) -> {
                    if (error != null) {
                        answer(sink, event, false, error, receivedNanos);
                    } else {
                        metrics.accepted("vanished");
                        answer(sink, event, true, "", receivedNanos);
                    }
                });
                return;
            }
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
