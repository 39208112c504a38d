package nostr.relay.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.message.ClientMessage;
import nostr.core.message.ClientMessageException;
import nostr.core.message.RelayMessage;
import nostr.relay.config.Limits;
import nostr.relay.ingest.OkSink;
import nostr.relay.auth.AuthSession;
import nostr.relay.policy.ClientContext;
import nostr.relay.policy.PolicyPipeline;
import nostr.relay.policy.ReadRestriction;
import nostr.relay.policy.TokenBucket;
import nostr.relay.policy.WriteRequest;
import nostr.relay.store.Visibility;
import nostr.relay.membership.Membership;
import nostr.relay.negentropy.NegentropySessions;
import nostr.relay.query.SearchLimits;
import nostr.relay.store.StoreException;
import nostr.relay.subscription.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection as a plain object: complete text messages in ({@link #onText}), messages
 * out through its {@link OutboundQueue} to a {@link Transport}. No socket here (Netty's embedded
 * channel idea): unit tests drive it with strings and read what comes out, the edge wires it to
 * a WebSocket.
 *
 * <p>It is the router of the pipeline: it parses each message (core's {@link ClientMessage}),
 * enforces the per-connection limits, runs the write policy on EVENTs and hands them to ingest,
 * answers NIP-42 AUTH, applies the read policy to REQs, and opens, replaces and closes its
 * subscriptions. Every refusal is answered the way NIP-01 says: NOTICE for what cannot be parsed,
 * OK false for an event, CLOSED for a REQ, each with a machine prefix. A bad message never ends
 * the connection.
 *
 * <p>{@link #onText} is called by one reader thread at a time; answers may come from other
 * threads (OKs from the writer, events from fan-out and queries).
 */
public final class Connection implements OkSink, Subscription.EndListener {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final RelayServices services;
    private final Limits limits;
    private final OutboundQueue out;
    private final Transport transport;
    private final Semaphore inflight;
    private final ClientContext client;
    private final Map<String, Subscription> subscriptions = new HashMap<>(4);
    /** NIP-77 sessions, created on the first NEG-OPEN; null until then. */
    private NegentropySessions negentropy;
    private volatile boolean closed;

    public Connection(RelayServices services, Transport transport) {
        this.services = services;
        this.limits = services.limits();
        this.transport = transport;
        this.out = new OutboundQueue(transport, services.drainer(), services.tuning().maxOutboundBytes(), this::slowConsumer);
        this.inflight = new Semaphore(services.tuning().maxInflightEvents());
        TokenBucket eventBucket = limits.eventRate() > 0
                ? new TokenBucket(limits.eventRate(), limits.effectiveBurst(), nowNanos()) : null;
        this.client = new ClientContext(transport.clientIp(), AuthSession.withRandomChallenge(), eventBucket);
        services.metrics().connectionOpened();
        // NIP-42: the challenge goes out as the connection opens, so a client always has one
        // when a later CLOSED or OK says auth-required.
        out.offer(RelayMessage.auth(client.auth().challenge()));
    }

    /** Who is on the other end: address and NIP-42 session. */
    public ClientContext client() {
        return client;
    }

    /** The outbound queue (the edge reads its state; tests inspect it). */
    public OutboundQueue outbound() {
        return out;
    }

    /** Handles one complete text message from the client. */
    public void onText(String text) {
        if (closed) {
            return;
        }
        long received = System.nanoTime();
        if ((long) text.length() * 3 > limits.maxMessageLength()) {
            int bytes = utf8Length(text);
            if (bytes > limits.maxMessageLength()) {
                onOversized(bytes);
                return;
            }
        }
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (ClientMessageException e) {
            if (e.reply() == ClientMessageException.Reply.NOTICE) {
                services.metrics().notice();
            } else if (e.reply() == ClientMessageException.Reply.OK) {
                services.metrics().received();
                services.metrics().rejected(e.getMessage());
            } else if (e.reply() == ClientMessageException.Reply.CLOSED) {
                services.metrics().reqClosed(e.getMessage());
            }
            out.offer(e.toReply());
            return;
        }
        try {
            switch (message) {
                case ClientMessage.EventMsg m -> onEvent(m.event(), received);
                case ClientMessage.Req m -> onReq(m.subscriptionId(), m.filters());
                case ClientMessage.Close m -> onClose(m.subscriptionId());
                case ClientMessage.Auth m -> onAuth(m.event());
                case ClientMessage.Count m -> onCount(m.subscriptionId(), m.filters());
                case ClientMessage.NegOpen m -> onNegOpen(m);
                case ClientMessage.NegMsg m -> onNegMsg(m);
                case ClientMessage.NegClose m -> onNegClose(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("handling a {} message failed", message.getClass().getSimpleName(), e);
            notice("error: the relay failed to handle this message");
        }
    }

    /** The edge saw a text message longer than {@code max_message_length} and dropped it unread. */
    public void onOversized(long bytes) {
        notice("invalid: message is " + bytes + " bytes, longer than max_message_length " + limits.maxMessageLength());
    }

    /** The edge received a text message that is not valid UTF-8. */
    public void onInvalidUtf8() {
        notice("invalid: message is not valid UTF-8");
    }

    /** The edge received a binary message. */
    public void onBinary() {
        notice("invalid: binary messages are not part of Nostr; send JSON text");
    }

    /** The socket is gone: ends every subscription, drops queued output. Idempotent. */
    public void onClosed() {
        List<Subscription> subs;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            subs = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
        }
        out.close();
        NegentropySessions neg;
        synchronized (this) {
            neg = negentropy;
        }
        if (neg != null) {
            neg.closeAll();
        }
        for (Subscription s : subs) {
            s.cancel();
            services.subscriptions().remove(s);
            services.metrics().subscriptionClosed();
        }
        services.metrics().connectionClosed();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Open subscriptions of this connection. */
    public synchronized int subscriptionCount() {
        return subscriptions.size();
    }

    // ---- EVENT ------------------------------------------------------------------------------

    private void onEvent(Event event, long received) throws InterruptedException {
        services.metrics().received();
        long nowMillis = services.clock().millis();
        WriteRequest request = new WriteRequest(event, client, nowMillis / 1000, nowMillis * 1_000_000L);
        PolicyPipeline.Refusal refusal = services.policy().writes().check(request);
        if (refusal != null) {
            services.metrics().policyRejected(refusal.stage());
            refuse(event.id(), refusal.message());
            return;
        }
        inflight.acquire();
        services.ingester().submit(request, this, received);
    }

    private long nowNanos() {
        return services.clock().millis() * 1_000_000L;
    }

    // ---- AUTH (NIP-42) ------------------------------------------------------------------------

    private void onAuth(Event auth) {
        String refusal = services.policy().auth().authenticate(auth, client.auth(), services.clock().millis() / 1000);
        services.metrics().auth(refusal == null);
        out.offer(RelayMessage.ok(auth.id(), refusal == null, refusal == null ? "" : refusal));
    }

    /** OK from ingest for an event that went through {@link #onEvent}. */
    @Override
    public void ok(String eventId, boolean accepted, String message) {
        inflight.release();
        out.offer(RelayMessage.ok(eventId, accepted, message));
    }

    private void refuse(String eventId, String message) {
        services.metrics().rejected(message);
        out.offer(RelayMessage.ok(eventId, false, message));
    }

    // ---- REQ / CLOSE ------------------------------------------------------------------------

    private void onReq(String id, List<Filter> filters) {
        if (id.length() > limits.maxSubidLength()) {
            closed(id, "invalid: subscription id is longer than " + limits.maxSubidLength() + " characters");
            return;
        }
        if (filters.size() > limits.maxFilters()) {
            closed(id, "invalid: too many filters (" + filters.size() + ", limit " + limits.maxFilters() + ")");
            return;
        }
        String badSearch = SearchLimits.check(filters);
        if (badSearch != null) {
            closed(id, badSearch);
            return;
        }
        Visibility visibility;
        switch (services.policy().reads().restrict(filters, client)) {
            case ReadRestriction.Decision.Refused r -> {
                closed(id, r.message());
                return;
            }
            case ReadRestriction.Decision.Allowed a -> {
                filters = a.filters();
                visibility = a.visibility();
            }
        }
        List<Event> generated = List.of();
        if (services.membership() != null) {
            Membership.InviteAnswer invites;
            try {
                invites = services.membership().invitesFor(filters, authenticated());
            } catch (StoreException e) {
                closed(id, "error: could not create an invite code, the database is unavailable; try again later");
                return;
            }
            if (invites instanceof Membership.InviteAnswer.Refused r) {
                closed(id, r.message());
                return;
            }
            if (invites instanceof Membership.InviteAnswer.Generated g) {
                generated = List.of(g.claim());
            }
        }
        Subscription sub = new Subscription(id, filters, out, this, visibility);
        Subscription replaced;
        synchronized (this) {
            if (closed) {
                return;
            }
            replaced = subscriptions.get(id);
            if (replaced == null && subscriptions.size() >= limits.maxSubscriptions()) {
                closed(id, "rate-limited: too many open subscriptions (limit " + limits.maxSubscriptions() + "); CLOSE one first");
                return;
            }
            subscriptions.put(id, sub);
        }
        if (replaced != null) {
            // NIP-01: a REQ with an id in use replaces that subscription.
            replaced.cancel();
            services.subscriptions().remove(replaced);
        } else {
            services.metrics().subscriptionOpened();
        }
        // Registered before its stored query starts: see Subscription for why nothing is lost or doubled.
        services.subscriptions().add(sub);
        if (sub.isEnded()) {
            // The connection closed meanwhile and may have unindexed it before we indexed it.
            services.subscriptions().remove(sub);
            return;
        }
        services.queries().start(sub, services.clock().millis() / 1000, generated);
    }

    /** Pubkeys this connection has authenticated as (NIP-42). */
    private java.util.Set<String> authenticated() {
        return client.auth().pubkeys();
    }

    // ---- COUNT (NIP-45) -----------------------------------------------------------------------

    /** COUNT sees what REQ sees: the same read restriction, the same store visibility. */
    private void onCount(String id, List<Filter> filters) {
        switch (services.policy().reads().restrict(filters, client)) {
            case ReadRestriction.Decision.Refused r -> closed(id, r.message());
            case ReadRestriction.Decision.Allowed a -> services.counts().start(id, a.filters(), a.visibility(),
                    services.clock().millis() / 1000, out::offer);
        }
    }

    // ---- NEG-OPEN / NEG-MSG / NEG-CLOSE (NIP-77) ----------------------------------------------

    private static final String NEGENTROPY_OFF = "unsupported: negentropy syncing (NIP-77) is turned off on this relay";

    /** The connection's sessions, created on first use; null when negentropy is off. */
    private synchronized NegentropySessions negentropy() {
        if (negentropy == null && services.negentropy() != null && !closed) {
            negentropy = services.negentropy().open(out::offer);
        }
        return negentropy;
    }

    /** NEG-OPEN reads what REQ reads: the same read restriction, the same store visibility. */
    private void onNegOpen(ClientMessage.NegOpen m) throws InterruptedException {
        NegentropySessions neg = negentropy();
        if (neg == null) {
            out.offer(RelayMessage.negErr(m.subscriptionId(), NEGENTROPY_OFF));
            return;
        }
        String badSearch = SearchLimits.check(List.of(m.filter()));
        if (badSearch != null) {
            out.offer(RelayMessage.negErr(m.subscriptionId(), badSearch));
            return;
        }
        switch (services.policy().reads().restrict(List.of(m.filter()), client)) {
            case ReadRestriction.Decision.Refused r -> out.offer(RelayMessage.negErr(m.subscriptionId(), r.message()));
            case ReadRestriction.Decision.Allowed a -> neg.open(m.subscriptionId(), a.filters().getFirst(), a.visibility(),
                    m.message());
        }
    }

    private void onNegMsg(ClientMessage.NegMsg m) throws InterruptedException {
        NegentropySessions neg = negentropy();
        if (neg == null) {
            out.offer(RelayMessage.negErr(m.subscriptionId(), NEGENTROPY_OFF));
            return;
        }
        neg.message(m.subscriptionId(), m.message());
    }

    private void onNegClose(ClientMessage.NegClose m) throws InterruptedException {
        NegentropySessions neg = negentropy();
        if (neg != null) {
            neg.close(m.subscriptionId());
        }
    }

    private void onClose(String id) {
        Subscription sub;
        synchronized (this) {
            sub = subscriptions.remove(id);
        }
        if (sub != null) {
            sub.cancel();
            services.subscriptions().remove(sub);
            services.metrics().subscriptionClosed();
        }
    }

    /** A subscription ended on the relay's side (it already sent CLOSED): forget it. */
    @Override
    public void ended(Subscription sub, String closedMessage) {
        services.metrics().reqClosed(closedMessage);
        boolean removed;
        synchronized (this) {
            removed = subscriptions.remove(sub.id(), sub);
        }
        services.subscriptions().remove(sub);
        if (removed) {
            services.metrics().subscriptionClosed();
        }
    }

    private void closed(String id, String message) {
        services.metrics().reqClosed(message);
        out.offer(RelayMessage.closed(id, message));
    }

    private void notice(String message) {
        services.metrics().notice();
        out.offer(RelayMessage.notice(message));
    }

    private void slowConsumer() {
        services.metrics().slowConsumerClosed();
        onClosed();
    }

    /** Closes the connection from the relay's side (shutdown). */
    public void close(int code, String reason) {
        transport.close(code, reason);
        onClosed();
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
