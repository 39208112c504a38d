package nostr.relay.policy.stage;

import nostr.relay.policy.IpAddresses;
import nostr.relay.policy.KeyedBuckets;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.TokenBucket;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 8, rate limits, token buckets with bursts: the connection's own bucket
 * ({@code event_rate}), one per client address shared by all its connections
 * ({@code ip_event_rate}; IPv6 by /64), and one per author ({@code pubkey_event_rate}).
 * Refusals are {@code rate-limited:}.
 *
 * <p>The author's bucket is only looked at here; its token is taken by {@link #chargeAuthor}
 * after the signature has been verified, so forged events carrying someone else's pubkey cannot
 * use up that author's budget.
 */
public final class RateLimitStage implements PolicyStage {
    private final KeyedBuckets perIp;
    private final KeyedBuckets perPubkey;

    /**
     * @param perIp shared per-address buckets, or null when off
     * @param perPubkey shared per-author buckets, or null when off
     */
    public RateLimitStage(KeyedBuckets perIp, KeyedBuckets perPubkey) {
        this.perIp = perIp;
        this.perPubkey = perPubkey;
    }

    @Override
    public String name() {
        return "rate";
    }

    @Override
    public String check(WriteRequest r) {
        long now = r.nowNanos();
        TokenBucket own = r.client().eventBucket();
        if (own != null && !own.tryTake(now)) {
            return "rate-limited: too many events from this connection; slow down";
        }
        String ip = r.client().ip();
        if (perIp != null && !ip.isEmpty() && !perIp.tryTake(IpAddresses.rateKey(ip), now)) {
            return "rate-limited: more than " + perIp.rate() + " events per second from your address; slow down";
        }
        if (perPubkey != null && !perPubkey.hasToken(r.event().pubkey(), now)) {
            return authorLimited();
        }
        return null;
    }

    /** After verification: takes the author's token; null when there was one, else the refusal. */
    public String chargeAuthor(WriteRequest r) {
        if (perPubkey == null || perPubkey.tryTake(r.event().pubkey(), r.nowNanos())) {
            return null;
        }
        return authorLimited();
    }

    /** Forgets buckets that are full again (called every minute); returns how many. */
    public int prune(long nowNanos) {
        int n = 0;
        if (perIp != null) {
            n += perIp.prune(nowNanos);
        }
        if (perPubkey != null) {
            n += perPubkey.prune(nowNanos);
        }
        return n;
    }

    private String authorLimited() {
        return "rate-limited: more than " + perPubkey.rate() + " events per second by this author; slow down";
    }
}
