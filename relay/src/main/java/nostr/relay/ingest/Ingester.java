package nostr.relay.ingest;

import nostr.core.event.Event;
import nostr.core.event.KindClass;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.policy.ClientContext;
import nostr.relay.policy.VerifiedAdmission;
import nostr.relay.policy.WriteRequest;
import nostr.relay.store.WriteStatus;
import nostr.relay.subscription.FanOut;

/**
 * The EVENT path after the connection's own checks: the {@link KindRules} checks of special kinds,
 * verify (id, then BIP-340 signature) on the {@link SignatureVerifier} pool, the policy's last
 * word ({@link VerifiedAdmission}: author rate limit, write-policy plugin), then one of: the
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
    private final VerifiedAdmission admission;

    public Ingester(SignatureVerifier verifier, GroupCommitWriter writer, FanOut fanOut, RelayMetrics metrics) {
        this(verifier, writer, fanOut, metrics, KindRules.none(), java.time.Clock.systemUTC());
    }

    /** @param rules checks and handlers of the kinds NIPs give a special meaning */
    public Ingester(SignatureVerifier verifier, GroupCommitWriter writer, FanOut fanOut, RelayMetrics metrics,
                    KindRules rules, java.time.Clock clock) {
        this(verifier, writer, fanOut, metrics, rules, clock, VerifiedAdmission.acceptAll());
    }

    /**
     * @param rules checks and handlers of the kinds NIPs give a special meaning
     * @param admission the policy's decision on verified events (author rate limit, write-policy plugin)
     */
    public Ingester(SignatureVerifier verifier, GroupCommitWriter writer, FanOut fanOut, RelayMetrics metrics,
                    KindRules rules, java.time.Clock clock, VerifiedAdmission admission) {
        this.verifier = verifier;
        this.writer = writer;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.rules = rules;
        this.clock = clock;
        this.admission = admission;
    }

    /**
     * Starts the path for one event. {@code sink} gets exactly one OK, from another thread.
     * Waits while the verify stage is full.
     *
     * @param receivedNanos when the EVENT arrived ({@link System#nanoTime()}), for OK latency
     */
    public void submit(Event event, OkSink sink, long receivedNanos) throws InterruptedException {
        long nowMillis = clock.millis();
        submit(new WriteRequest(event, ClientContext.anonymous(), nowMillis / 1000, nowMillis * 1_000_000L), sink, receivedNanos);
    }

    /**
     * Starts the path for an EVENT that passed the policy pipeline: special-kind checks, verify,
     * the policy's {@link VerifiedAdmission}, then store, fan out or hand to the kind's handler.
     * {@code sink} gets exactly one OK.
     */
    public void submit(WriteRequest request, OkSink sink, long receivedNanos) throws InterruptedException {
        Event event = request.event();
        String refusal = rules.check(event, clock.millis() / 1000);
        if (refusal != null) {
            answer(sink, event, false, refusal, receivedNanos);
            return;
        }
        if (!verifier.submit(() -> verifyAndRoute(request, sink, receivedNanos))) {
            answer(sink, event, false, GroupCommitWriter.SHUTTING_DOWN, receivedNanos);
        }
    }

    private void verifyAndRoute(WriteRequest request, OkSink sink, long receivedNanos) {
        Event event = request.event();
        if (!event.hasValidId()) {
            answer(sink, event, false, BAD_ID, receivedNanos);
            return;
        }
        if (!event.hasValidSignature()) {
            answer(sink, event, false, BAD_SIGNATURE, receivedNanos);
            return;
        }
        admission.admit(request, decision -> {
            switch (decision) {
                case VerifiedAdmission.Decision.Accept a -> dispatch(event, sink, receivedNanos);
                case VerifiedAdmission.Decision.Reject r -> {
                    metrics.policyRejected(r.stage());
                    answer(sink, event, false, r.message(), receivedNanos);
                }
                case VerifiedAdmission.Decision.ShadowReject s -> {
                    metrics.accepted("shadow_rejected");
                    answer(sink, event, true, "", receivedNanos);
                }
            }
        });
    }

    /** An admitted event: its kind's handler, if it has one, else the usual route. */
    private void dispatch(Event event, OkSink sink, long receivedNanos) {
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
