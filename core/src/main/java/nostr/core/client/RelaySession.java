package nostr.core.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.filter.Filter;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyStorage;
import nostr.core.nip42.Nip42;

/**
 * The client side of one relay as a plain object: requests and relay frames in, client frames and
 * callbacks out. It owns no socket ({@link RelayClient} feeds it), so tests drive it frame by frame.
 *
 * <p>Its state outlives a connection. While disconnected, frames are not sent; on
 * {@link #connected} it sends again every open subscription, every publish still waiting for its
 * OK and every COUNT still waiting. A subscription that already had its EOSE is re-sent with
 * {@code since} moved to shortly before the connection dropped and without {@code limit}, so it
 * catches up on what it missed instead of re-reading history; ids it already delivered are dropped
 * (bounded window), and its EOSE is not reported twice.
 *
 * <p>NIP-42: with a signer, every AUTH challenge is answered with a signed kind 22242 event. A
 * publish answered {@code auth-required:}, or a REQ or COUNT closed with {@code auth-required:},
 * is sent once more as soon as the relay accepts our AUTH (at once if it already has); if the
 * AUTH is refused, or no challenge comes before the request times out, the caller gets the
 * original refusal.
 *
 * <p>Threading: state is guarded by one lock; callbacks and future completions run outside it.
 * Relay frames come in one at a time from the connection's reader.
 */
final class RelaySession {
    private static final System.Logger LOG = System.getLogger("nostr.core.client");
    /** How far before the drop a caught-up subscription's {@code since} is placed. */
    static final long RESUBSCRIBE_OVERLAP_SECONDS = 60;
    private static final String AUTH_REQUIRED = "auth-required";

    /** Where frames go while connected. */
    @FunctionalInterface
    interface Sender {
        void send(String text);
    }

    private final String url;
    private final ClientOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PendingPublish> publishes = new HashMap<>();
    private final Map<String, ActiveSubscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, PendingCount> counts = new HashMap<>();
    private final Map<String, PendingReconcile> reconciles = new HashMap<>();
    private Sender sender;
    private long nextId;
    private String authEventId;
    private boolean authenticated;
    /** A challenge that came before {@link #connected} (the relay sends it as the socket opens). */
    private String earlyChallenge;
    private long lostAtSeconds = -1;
    private RelayException failure;

    RelaySession(String url, ClientOptions options) {
        this.url = url;
        this.options = options;
    }

    String url() {
        return url;
    }

    // ---- requests ---------------------------------------------------------------------------

    CompletableFuture<PublishResult> publish(Event event) {
        PendingPublish p;
        lock.lock();
        try {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            PendingPublish existing = publishes.get(event.id());
            if (existing != null) {
                return existing.future;
            }
            p = new PendingPublish(event);
            publishes.put(event.id(), p);
            sendLocked(new ClientMessage.EventMsg(event).toJson());
        } finally {
            lock.unlock();
        }
        var timeout = TimeoutScheduler.after(options.requestTimeout(), () -> timeOut(p));
        p.future.whenComplete((r, e) -> timeout.cancel(false));
        return p.future;
    }

    ActiveSubscription subscribe(List<Filter> filters, SubscriptionListener listener) throws RelayException {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs at least one filter");
        }
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
            ActiveSubscription s = new ActiveSubscription("sub-" + (++nextId), List.copyOf(filters), listener,
                    new BoundedIdSet(options.dedupCapacity()));
            subscriptions.put(s.id, s);
            sendLocked(new ClientMessage.Req(s.id, s.filters).toJson());
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a subscription locally and sends CLOSE; false when it was not open. */
    boolean unsubscribe(String id) {
        lock.lock();
        try {
            if (subscriptions.remove(id) == null) {
                return false;
            }
            sendLocked(new ClientMessage.Close(id).toJson());
            return true;
        } finally {
            lock.unlock();
        }
    }

    CompletableFuture<CountResult> count(List<Filter> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a COUNT needs at least one filter");
        }
        PendingCount c;
        lock.lock();
        try {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            c = new PendingCount("count-" + (++nextId), List.copyOf(filters));
            counts.put(c.id, c);
            sendLocked(new ClientMessage.Count(c.id, c.filters).toJson());
        } finally {
            lock.unlock();
        }
        var timeout = TimeoutScheduler.after(options.requestTimeout(), () -> timeOut(c));
        c.future.whenComplete((r, e) -> timeout.cancel(false));
        return c.future;
    }

    CompletableFuture<ReconcileResult> reconcile(Filter filter, NegentropyStorage local, long frameSizeLimit) {
        PendingReconcile r;
        lock.lock();
        try {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (sender == null) {
                return CompletableFuture.failedFuture(new RelayException(RelayException.Kind.CONNECTION_LOST,
                        url + ": not connected; a reconciliation needs a live connection"));
            }
            r = new PendingReconcile("neg-" + (++nextId), filter, local, frameSizeLimit);
            reconciles.put(r.id, r);
            startLocked(r);
        } finally {
            lock.unlock();
        }
        r.future.whenComplete((x, e) -> {
            var t = r.timeout;
            if (t != null) {
                t.cancel(false);
            }
        });
        return r.future;
    }

    /** Sends NEG-OPEN with a fresh engine (the first time, or again after AUTH). */
    private void startLocked(PendingReconcile r) {
        r.engine = new Negentropy(r.local, r.frameSizeLimit);
        r.have.clear();
        r.need.clear();
        r.answered = false;
        String initial = r.engine.initiateHex();
        r.rounds = 1;
        r.bytesSent += initial.length() / 2;
        sendLocked(new ClientMessage.NegOpen(r.id, r.filter, initial).toJson());
        armLocked(r);
    }

    /** (Re)starts the timer of the round just sent. */
    private void armLocked(PendingReconcile r) {
        if (r.timeout != null) {
            r.timeout.cancel(false);
        }
        long round = r.rounds;
        r.timeout = TimeoutScheduler.after(options.requestTimeout(), () -> timeOut(r, round));
    }

    private void onNegMsg(RelayMessage.NegMsg m) {
        PendingReconcile r;
        lock.lock();
        try {
            r = reconciles.get(m.subscriptionId());
            if (r == null || r.awaitingAuth) {
                return;
            }
            r.answered = true;
        } finally {
            lock.unlock();
        }
        String next;
        try {
            r.bytesReceived += m.message().length() / 2;
            next = r.engine.reconcile(m.message(), r.have, r.need);
        } catch (RuntimeException e) {
            // NegentropyException (malformed reply, another protocol version) or a bad hex string.
            finishReconcile(r, new RelayException(RelayException.Kind.UNSUPPORTED, url + ": " + r.id
                    + ": the relay's negentropy message cannot be used: " + e.getMessage()), true);
            return;
        }
        if (next == null) {
            finishReconcile(r, null, true);
            return;
        }
        lock.lock();
        try {
            if (reconciles.get(r.id) != r) {
                return;
            }
            r.rounds++;
            r.bytesSent += next.length() / 2;
            sendLocked(new ClientMessage.NegMsg(r.id, next).toJson());
            armLocked(r);
        } finally {
            lock.unlock();
        }
    }

    private void onNegErr(String id, String reason) {
        PendingReconcile r;
        lock.lock();
        try {
            r = reconciles.get(id);
            if (r == null) {
                return;
            }
            if (AUTH_REQUIRED.equals(prefix(reason)) && options.signer() != null && !r.authRetried) {
                r.authRetried = true;
                r.authRefusal = reason;
                if (authenticated) {
                    startLocked(r);
                } else {
                    r.awaitingAuth = true;
                    armLocked(r);
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        finishReconcile(r, negErr(id, reason), false);
    }

    private RelayException negErr(String id, String reason) {
        RelayException.Kind kind = "unsupported".equals(prefix(reason)) ? RelayException.Kind.UNSUPPORTED
                : RelayException.Kind.REFUSED;
        return new RelayException(kind, url + ": " + id + " NEG-ERR: " + reason);
    }

    /**
     * Ends a reconciliation: completes it ({@code error} null) or fails it, and tells the relay to
     * drop the session when it still holds one.
     */
    private void finishReconcile(PendingReconcile r, RelayException error, boolean sendClose) {
        lock.lock();
        try {
            if (reconciles.get(r.id) != r) {
                return;
            }
            reconciles.remove(r.id);
            if (sendClose) {
                sendLocked(new ClientMessage.NegClose(r.id).toJson());
            }
        } finally {
            lock.unlock();
        }
        if (error != null) {
            r.future.completeExceptionally(error);
        } else {
            r.future.complete(new ReconcileResult(url, r.have, r.need, r.rounds, r.bytesSent, r.bytesReceived));
        }
    }

    private void timeOut(PendingReconcile r, long round) {
        boolean first;
        lock.lock();
        try {
            if (reconciles.get(r.id) != r || r.rounds != round) {
                return;
            }
            first = !r.answered;
        } finally {
            lock.unlock();
        }
        if (r.authRefusal != null && r.awaitingAuth) {
            finishReconcile(r, negErr(r.id, r.authRefusal), false);
            return;
        }
        String why = first
                ? ": no answer to NEG-OPEN within " + seconds(options.requestTimeout())
                        + "; the relay does not seem to support NIP-77 negentropy syncing"
                : ": no answer to NEG-MSG round " + round + " within " + seconds(options.requestTimeout());
        finishReconcile(r, new RelayException(RelayException.Kind.TIMEOUT, url + ": " + r.id + why), true);
    }

    /** A NOTICE while NEG-OPENs wait for their first answer: relays without NIP-77 say "unknown message" this way. */
    private void onNoticeForReconciles(String notice) {
        List<PendingReconcile> waiting = new ArrayList<>();
        lock.lock();
        try {
            for (PendingReconcile r : reconciles.values()) {
                if (!r.answered && !r.awaitingAuth) {
                    waiting.add(r);
                }
            }
        } finally {
            lock.unlock();
        }
        for (PendingReconcile r : waiting) {
            finishReconcile(r, new RelayException(RelayException.Kind.UNSUPPORTED, url + ": " + r.id
                    + ": the relay answered NEG-OPEN with a NOTICE (" + notice + "); it does not seem to support NIP-77"), false);
        }
    }

    // ---- connection lifecycle ---------------------------------------------------------------

    /** A connection is up: frames go to {@code s}; everything still open is sent again. */
    void connected(Sender s) {
        String challenge;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            challenge = earlyChallenge;
            earlyChallenge = null;
            sender = s;
            authenticated = false;
            authEventId = null;
            for (ActiveSubscription sub : subscriptions.values()) {
                if (!sub.awaitingAuth) {
                    sendLocked(new ClientMessage.Req(sub.id, resubscribeFilters(sub)).toJson());
                }
            }
            for (PendingPublish p : publishes.values()) {
                if (!p.awaitingAuth) {
                    sendLocked(new ClientMessage.EventMsg(p.event).toJson());
                }
            }
            for (PendingCount c : counts.values()) {
                if (!c.awaitingAuth) {
                    sendLocked(new ClientMessage.Count(c.id, c.filters).toJson());
                }
            }
        } finally {
            lock.unlock();
        }
        if (challenge != null) {
            onAuthChallenge(challenge);
        }
    }

    /**
     * The connection dropped; frames are held back until {@link #connected}. Reconciliations fail
     * at once: the relay forgot their sessions.
     */
    void disconnected() {
        List<PendingReconcile> lost;
        lock.lock();
        try {
            sender = null;
            authenticated = false;
            authEventId = null;
            earlyChallenge = null;
            lostAtSeconds = Instant.now().getEpochSecond();
            lost = new ArrayList<>(reconciles.values());
            reconciles.clear();
        } finally {
            lock.unlock();
        }
        for (PendingReconcile r : lost) {
            r.future.completeExceptionally(new RelayException(RelayException.Kind.CONNECTION_LOST,
                    url + ": " + r.id + ": connection lost during the negentropy reconciliation"));
        }
    }

    /**
     * The session is over (closed by its owner, or the relay is gone for good): every pending
     * request fails with {@code cause}; subscriptions get {@code onFailure} unless {@code quiet}.
     */
    void fail(RelayException cause, boolean quiet) {
        List<PendingPublish> ps;
        List<PendingCount> cs;
        List<ActiveSubscription> ss;
        List<PendingReconcile> rs;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            sender = null;
            ps = new ArrayList<>(publishes.values());
            cs = new ArrayList<>(counts.values());
            ss = new ArrayList<>(subscriptions.values());
            rs = new ArrayList<>(reconciles.values());
            publishes.clear();
            counts.clear();
            subscriptions.clear();
            reconciles.clear();
        } finally {
            lock.unlock();
        }
        ps.forEach(p -> p.future.completeExceptionally(cause));
        cs.forEach(c -> c.future.completeExceptionally(cause));
        rs.forEach(r -> r.future.completeExceptionally(cause));
        if (!quiet) {
            ss.forEach(s -> callListener(() -> s.listener.onFailure(url, cause)));
        }
    }

    boolean isAuthenticated() {
        lock.lock();
        try {
            return authenticated;
        } finally {
            lock.unlock();
        }
    }

    // ---- relay frames -----------------------------------------------------------------------

    /** Handles one whole relay message. Malformed messages are logged and dropped. */
    void receive(String text) {
        RelayMessage m;
        try {
            m = RelayMessage.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "dropping malformed message from {0}: {1}", url, e.getMessage());
            return;
        }
        switch (m) {
            case RelayMessage.EventMsg e -> onEvent(e);
            case RelayMessage.Ok ok -> onOk(ok);
            case RelayMessage.Eose e -> onEose(e.subscriptionId());
            case RelayMessage.Closed c -> onClosed(c.subscriptionId(), c.message());
            case RelayMessage.Notice n -> {
                onNoticeForReconciles(n.message());
                callListener(() -> options.noticeListener().onNotice(url, n.message()));
            }
            case RelayMessage.Auth a -> onAuthChallenge(a.challenge());
            case RelayMessage.Count c -> onCount(c);
            case RelayMessage.NegMsg n -> onNegMsg(n);
            case RelayMessage.NegErr n -> onNegErr(n.subscriptionId(), n.reason());
        }
    }

    private void onEvent(RelayMessage.EventMsg m) {
        ActiveSubscription s;
        lock.lock();
        try {
            s = subscriptions.get(m.subscriptionId());
            if (s == null || s.seen.contains(m.event().id())) {
                return;
            }
        } finally {
            lock.unlock();
        }
        Event event = m.event();
        if (options.verifyEvents() && !event.isValid()) {
            LOG.log(System.Logger.Level.DEBUG, "dropping event {0} from {1}: bad id or signature", event.id(), url);
            return;
        }
        lock.lock();
        try {
            if (!s.seen.add(event.id()) || subscriptions.get(s.id) != s) {
                return;
            }
        } finally {
            lock.unlock();
        }
        callListener(() -> s.listener.onEvent(url, event));
    }

    private void onEose(String id) {
        ActiveSubscription s;
        lock.lock();
        try {
            s = subscriptions.get(id);
            if (s == null || s.eoseSeen) {
                return;
            }
            s.eoseSeen = true;
        } finally {
            lock.unlock();
        }
        callListener(s.listener::onEose);
    }

    private void onOk(RelayMessage.Ok ok) {
        PublishResult result = new PublishResult(url, ok.eventId(), ok.accepted(), ok.message());
        PendingPublish p;
        List<Runnable> refusals;
        lock.lock();
        try {
            if (ok.eventId().equals(authEventId)) {
                authEventId = null;
                refusals = onAuthResultLocked(ok);
            } else {
                refusals = null;
            }
        } finally {
            lock.unlock();
        }
        if (refusals != null) {
            refusals.forEach(Runnable::run);
            return;
        }
        lock.lock();
        try {
            p = publishes.get(ok.eventId());
            if (p == null) {
                return;
            }
            if (!ok.accepted() && AUTH_REQUIRED.equals(result.prefix()) && options.signer() != null && !p.authRetried) {
                p.authRetried = true;
                p.authRefusal = result;
                if (authenticated) {
                    sendLocked(new ClientMessage.EventMsg(p.event).toJson());
                } else {
                    p.awaitingAuth = true;
                }
                return;
            }
            publishes.remove(ok.eventId());
        } finally {
            lock.unlock();
        }
        p.future.complete(result);
    }

    private void onClosed(String id, String reason) {
        PendingReconcile r;
        lock.lock();
        try {
            r = reconciles.get(id);
        } finally {
            lock.unlock();
        }
        if (r != null) {
            // A relay without NIP-77 may treat NEG-OPEN as a subscription and close it.
            finishReconcile(r, new RelayException(RelayException.Kind.UNSUPPORTED, url + ": " + id
                    + ": the relay answered NEG-OPEN with CLOSED (" + reason + "); it does not seem to support NIP-77"), false);
            return;
        }
        ActiveSubscription s;
        PendingCount c;
        lock.lock();
        try {
            boolean authRequired = AUTH_REQUIRED.equals(prefix(reason)) && options.signer() != null;
            s = subscriptions.get(id);
            if (s != null) {
                if (authRequired && !s.authRetried) {
                    s.authRetried = true;
                    s.authRefusal = reason;
                    if (authenticated) {
                        sendLocked(new ClientMessage.Req(s.id, s.filters).toJson());
                    } else {
                        s.awaitingAuth = true;
                    }
                    return;
                }
                subscriptions.remove(id);
            }
            c = counts.get(id);
            if (c != null) {
                if (authRequired && !c.authRetried) {
                    c.authRetried = true;
                    c.authRefusal = reason;
                    if (authenticated) {
                        sendLocked(new ClientMessage.Count(c.id, c.filters).toJson());
                    } else {
                        c.awaitingAuth = true;
                    }
                    return;
                }
                counts.remove(id);
            }
        } finally {
            lock.unlock();
        }
        if (s != null) {
            callListener(() -> s.listener.onClosed(url, reason));
        }
        if (c != null) {
            c.future.completeExceptionally(refused(c.id, reason));
        }
    }

    private void onCount(RelayMessage.Count m) {
        PendingCount c;
        lock.lock();
        try {
            c = counts.remove(m.subscriptionId());
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.future.complete(new CountResult(url, m.count(), m.approximate(), m.hll()));
        }
    }

    private void onAuthChallenge(String challenge) {
        EventSigner signer = options.signer();
        if (signer == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0} asks for AUTH; no signer configured", url);
            return;
        }
        lock.lock();
        try {
            if (sender == null) {
                // The socket's first frames can arrive before the session is told it is connected.
                earlyChallenge = challenge;
                return;
            }
        } finally {
            lock.unlock();
        }
        Event auth;
        try {
            auth = signer.sign(Nip42.authTemplate(url, challenge));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "signing the AUTH event for {0} failed: {1}", url, e.getMessage());
            return;
        }
        lock.lock();
        try {
            if (sender == null) {
                return;
            }
            authEventId = auth.id();
            sendLocked(new ClientMessage.Auth(auth).toJson());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The relay answered our AUTH: sends again what waited for it, or returns the refusals to
     * deliver (after the caller releases the lock).
     */
    private List<Runnable> onAuthResultLocked(RelayMessage.Ok ok) {
        if (ok.accepted()) {
            authenticated = true;
            for (PendingPublish p : publishes.values()) {
                if (p.awaitingAuth) {
                    p.awaitingAuth = false;
                    sendLocked(new ClientMessage.EventMsg(p.event).toJson());
                }
            }
            for (ActiveSubscription s : subscriptions.values()) {
                if (s.awaitingAuth) {
                    s.awaitingAuth = false;
                    sendLocked(new ClientMessage.Req(s.id, s.filters).toJson());
                }
            }
            for (PendingCount c : counts.values()) {
                if (c.awaitingAuth) {
                    c.awaitingAuth = false;
                    sendLocked(new ClientMessage.Count(c.id, c.filters).toJson());
                }
            }
            for (PendingReconcile r : reconciles.values()) {
                if (r.awaitingAuth) {
                    r.awaitingAuth = false;
                    startLocked(r);
                }
            }
            return List.of();
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} refused our AUTH: {1}", url, ok.message());
        List<Runnable> refusals = new ArrayList<>();
        publishes.values().removeIf(p -> {
            if (!p.awaitingAuth) {
                return false;
            }
            refusals.add(() -> p.future.complete(p.authRefusal));
            return true;
        });
        subscriptions.values().removeIf(s -> {
            if (!s.awaitingAuth) {
                return false;
            }
            refusals.add(() -> callListener(() -> s.listener.onClosed(url, s.authRefusal)));
            return true;
        });
        counts.values().removeIf(c -> {
            if (!c.awaitingAuth) {
                return false;
            }
            refusals.add(() -> c.future.completeExceptionally(refused(c.id, c.authRefusal)));
            return true;
        });
        reconciles.values().removeIf(r -> {
            if (!r.awaitingAuth) {
                return false;
            }
            refusals.add(() -> r.future.completeExceptionally(negErr(r.id, r.authRefusal)));
            return true;
        });
        return refusals;
    }

    // ---- timeouts ---------------------------------------------------------------------------

    private void timeOut(PendingPublish p) {
        lock.lock();
        try {
            if (publishes.get(p.event.id()) != p) {
                return;
            }
            publishes.remove(p.event.id());
        } finally {
            lock.unlock();
        }
        if (p.authRefusal != null) {
            p.future.complete(p.authRefusal);
        } else {
            p.future.completeExceptionally(new RelayException(RelayException.Kind.TIMEOUT,
                    url + ": no OK for event " + p.event.id() + " within " + seconds(options.requestTimeout())));
        }
    }

    private void timeOut(PendingCount c) {
        lock.lock();
        try {
            if (counts.get(c.id) != c) {
                return;
            }
            counts.remove(c.id);
        } finally {
            lock.unlock();
        }
        c.future.completeExceptionally(c.authRefusal != null ? refused(c.id, c.authRefusal)
                : new RelayException(RelayException.Kind.TIMEOUT,
                        url + ": no COUNT answer within " + seconds(options.requestTimeout())));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void sendLocked(String frame) {
        if (sender != null) {
            sender.send(frame);
        }
    }

    private List<Filter> resubscribeFilters(ActiveSubscription s) {
        if (!s.eoseSeen || lostAtSeconds < 0) {
            return s.filters;
        }
        long since = Math.max(0, lostAtSeconds - RESUBSCRIBE_OVERLAP_SECONDS);
        List<Filter> out = new ArrayList<>(s.filters.size());
        for (Filter f : s.filters) {
            long s2 = f.since() == null ? since : Math.max(f.since(), since);
            out.add(new Filter(f.ids(), f.authors(), f.kinds(), f.tags(), s2, f.until(), null, f.search()));
        }
        return out;
    }

    private RelayException refused(String id, String reason) {
        return new RelayException(RelayException.Kind.REFUSED, url + ": " + id + " closed: " + reason);
    }

    private static String prefix(String message) {
        int c = message.indexOf(':');
        return c > 0 && message.lastIndexOf(' ', c) < 0 ? message.substring(0, c) : "";
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private void callListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a listener for " + url + " threw", e);
        }
    }

    private static final class PendingPublish {
        final Event event;
        final CompletableFuture<PublishResult> future = new CompletableFuture<>();
        boolean authRetried;
        boolean awaitingAuth;
        PublishResult authRefusal;

        PendingPublish(Event event) {
            this.event = event;
        }
    }

    private static final class PendingCount {
        final String id;
        final List<Filter> filters;
        final CompletableFuture<CountResult> future = new CompletableFuture<>();
        boolean authRetried;
        boolean awaitingAuth;
        String authRefusal;

        PendingCount(String id, List<Filter> filters) {
            this.id = id;
            this.filters = filters;
        }
    }

    /** A NIP-77 reconciliation in progress; the engine is used by one relay reply at a time. */
    private static final class PendingReconcile {
        final String id;
        final Filter filter;
        final NegentropyStorage local;
        final long frameSizeLimit;
        final CompletableFuture<ReconcileResult> future = new CompletableFuture<>();
        final List<String> have = new ArrayList<>();
        final List<String> need = new ArrayList<>();
        Negentropy engine;
        volatile java.util.concurrent.ScheduledFuture<?> timeout;
        int rounds;
        long bytesSent;
        long bytesReceived;
        boolean answered;
        boolean authRetried;
        boolean awaitingAuth;
        String authRefusal;

        PendingReconcile(String id, Filter filter, NegentropyStorage local, long frameSizeLimit) {
            this.id = id;
            this.filter = filter;
            this.local = local;
            this.frameSizeLimit = frameSizeLimit;
        }
    }

    /** An open subscription's state; {@link RelayClient} wraps it in a public handle. */
    static final class ActiveSubscription {
        final String id;
        final List<Filter> filters;
        final SubscriptionListener listener;
        final BoundedIdSet seen;
        boolean eoseSeen;
        boolean authRetried;
        boolean awaitingAuth;
        String authRefusal;

        ActiveSubscription(String id, List<Filter> filters, SubscriptionListener listener, BoundedIdSet seen) {
            this.id = id;
            this.filters = filters;
            this.listener = listener;
            this.seen = seen;
        }
    }
}
