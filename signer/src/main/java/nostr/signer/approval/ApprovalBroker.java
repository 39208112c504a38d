package nostr.signer.approval;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import nostr.signer.ops.SignerException;

/**
 * Holds requests that wait for a user: {@link #await} announces one (the D-Bus layer turns that into
 * ApprovalRequested) and blocks the calling thread until {@link #answer} (ApproveRequest) or the
 * timeout, which counts as a denial. Every outcome is announced once (ApprovalCompleted).
 * The number of requests waiting at once is capped: beyond it new ones are refused at once.
 */
public final class ApprovalBroker {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Receives announcements; the D-Bus layer emits them as signals. */
    public interface Listener {
        void requested(PendingApproval request);

        void completed(String requestId, boolean decision);
    }

    /** A user's answer. {@code ttl} zero with {@code remember} means forever. */
    public record Answer(boolean approved, boolean remember, Duration ttl) {}

    private record Waiting(PendingApproval request, CompletableFuture<Answer> answer) {}

    private final Duration timeout;
    private final int maxPending;
    private final InstantSource clock;
    private final Map<String, Waiting> pending = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Listener listener = new Listener() {
        @Override
        public void requested(PendingApproval request) {}

        @Override
        public void completed(String requestId, boolean decision) {}
    };

    public ApprovalBroker(Duration timeout, int maxPending, InstantSource clock) {
        this.timeout = timeout;
        this.maxPending = maxPending;
        this.clock = clock;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /**
     * Announces a request and waits for its answer.
     *
     * @param onAnnounced called with the pending request once it is announced (the bunker sends its
     *     auth_url challenge from here), or null
     * @return the answer; a timeout yields a denial without remember
     * @throws SignerException RATE_LIMITED when too many requests already wait
     */
    public Answer await(String appId, String identity, String kind, String aclKind, String preview, String requester,
                        java.util.function.Consumer<PendingApproval> onAnnounced) {
        if (count.incrementAndGet() > maxPending) {
            count.decrementAndGet();
            throw SignerException.rateLimited("too many requests are waiting for approval (" + maxPending + ")");
        }
        String id = newId();
        PendingApproval request = new PendingApproval(id, appId, identity, kind, aclKind, preview(preview), requester,
                clock.instant().getEpochSecond());
        Waiting w = new Waiting(request, new CompletableFuture<>());
        pending.put(id, w);
        Answer answer;
        try {
            listener.requested(request);
            if (onAnnounced != null) {
                onAnnounced.accept(request);
            }
            answer = w.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = null;
        } catch (ExecutionException e) {
            answer = null;
        } finally {
            pending.remove(id);
            count.decrementAndGet();
        }
        if (answer == null) {
            listener.completed(id, false);
            return new Answer(false, false, Duration.ZERO);
        }
        listener.completed(id, answer.approved());
        return answer;
    }

    /**
     * Answers a pending request.
     *
     * @param answerer bus name of who answers; it may not be the requester
     * @return false when no such request waits (unknown id, already answered, timed out)
     * @throws SignerException PERMISSION_DENIED when the requester tries to answer itself
     */
    public boolean answer(String requestId, Answer answer, String answerer) {
        Waiting w = pending.get(requestId);
        if (w == null) {
            return false;
        }
        if (answerer != null && answerer.equals(w.request().requester())) {
            throw SignerException.permissionDenied("a caller cannot approve its own request");
        }
        return w.answer().complete(answer);
    }

    /** The requests waiting now, oldest first. */
    public List<PendingApproval> pending() {
        List<PendingApproval> out = new ArrayList<>();
        for (Waiting w : pending.values()) {
            out.add(w.request());
        }
        out.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
        return out;
    }

    public Duration timeout() {
        return timeout;
    }

    private static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Single line, at most 96 characters (an ellipsis marks a cut). */
    static String preview(String s) {
        String line = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
        if (line.codePointCount(0, line.length()) <= 96) {
            return line;
        }
        int end = line.offsetByCodePoints(0, 95);
        return line.substring(0, end) + "…";
    }
}
