package nostr.relay.connection;

import java.time.Clock;
import java.util.concurrent.Executor;
import nostr.relay.config.Limits;
import nostr.relay.count.CountRequests;
import nostr.relay.config.Tuning;
import nostr.relay.ingest.Ingester;
import nostr.relay.membership.Membership;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.negentropy.NegentropyService;
import nostr.relay.policy.AccessPolicy;
import nostr.relay.query.InitialQueries;
import nostr.relay.subscription.SubscriptionIndex;

/**
 * The relay-wide stages every {@link Connection} talks to, built once by {@code Relay}.
 *
 * @param drainer runs outbound queue drains (virtual threads; the calling thread in unit tests)
 * @param policy write and read policy, NIP-42 AUTH
 * @param clock wall clock for created_at bounds and expiry; also the time base of rate limits
 * @param counts NIP-45 COUNT
 * @param membership NIP-43 (invite claims for REQ), or null when the relay runs without it
 * @param negentropy NIP-77 sessions, or null when negentropy is off (NEG-* are then refused)
 */
public record RelayServices(Limits limits, Tuning tuning, AccessPolicy policy, Ingester ingester,
                            SubscriptionIndex subscriptions, InitialQueries queries, RelayMetrics metrics,
                            Executor drainer, Clock clock, CountRequests counts, Membership membership,
                            NegentropyService negentropy) {

    /** Services without negentropy. */
    public RelayServices(Limits limits, Tuning tuning, AccessPolicy policy, Ingester ingester,
                         SubscriptionIndex subscriptions, InitialQueries queries, RelayMetrics metrics,
                         Executor drainer, Clock clock, CountRequests counts, Membership membership) {
        this(limits, tuning, policy, ingester, subscriptions, queries, metrics, drainer, clock, counts, membership, null);
    }
}
