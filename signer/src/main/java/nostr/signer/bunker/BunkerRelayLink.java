package nostr.signer.bunker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nostr.core.client.ClientOptions;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.client.Subscription;
import nostr.core.client.SubscriptionListener;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.signer.daemon.SignerDaemon;
import nostr.signer.ops.SignerException;

/**
 * Connects the {@link Bunker} to relays: one {@link RelayClient} per relay (the bunker relays plus
 * the relays of connected nostrconnect clients), each subscribed to kind 24133 events p-tagging any of
 * our identities, from shortly before the subscription on. Each request is handled on its own virtual
 * thread (one waiting for approval does not hold up the others) and the responses are published to
 * the relays the bunker names. Every few seconds the link re-checks which relays and identities it
 * should watch, reconnects relays that were down, and resubscribes when the set changed.
 */
public final class BunkerRelayLink implements SignerDaemon.BunkerRelayLinkHandle {
    private static final Logger LOG = LoggerFactory.getLogger(BunkerRelayLink.class);
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Duration LOOKBACK = Duration.ofSeconds(30);

    private final Bunker bunker;
    private final ClientOptions options;
    private final Map<String, RelayClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, List<String>> subscribedFor = new ConcurrentHashMap<>();
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer;

    private BunkerRelayLink(Bunker bunker, ClientOptions options) {
        this.bunker = bunker;
        this.options = options;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bunker-relays");
            t.setDaemon(true);
            return t;
        });
    }

    /** The transport the daemon starts when {@code bunker-enabled = true}. */
    public static SignerDaemon.BunkerTransport transport() {
        return (bunker, service, config) -> {
            BunkerRelayLink link = new BunkerRelayLink(bunker, ClientOptions.defaults()
                    .withConnectTimeout(Duration.ofSeconds(5)));
            service.setBunkerPublisher(link::publish);
            link.refresh();
            link.timer.scheduleWithFixedDelay(link::refreshQuietly, REFRESH.toMillis(), REFRESH.toMillis(),
                    TimeUnit.MILLISECONDS);
            LOG.info("NIP-46 bunker listening on {}", link.desiredRelays());
            return link;
        };
    }

    private Set<String> desiredRelays() {
        Set<String> relays = new LinkedHashSet<>(bunker.settings().relays());
        for (ClientSession s : bunker.sessions().list()) {
            if (s.state() == SessionState.ACTIVE || s.state() == SessionState.PENDING) {
                relays.addAll(s.relays());
            }
        }
        return relays;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("bunker relay refresh failed: {}", e.getMessage());
        }
    }

    /** Connects missing relays and (re)subscribes where the identities changed. */
    synchronized void refresh() {
        List<String> pubkeys;
        try {
            pubkeys = bunker.signerPubkeys();
        } catch (SignerException e) {
            LOG.debug("no identities to serve yet: {}", e.getMessage());
            return;
        }
        if (pubkeys.isEmpty()) {
            return;
        }
        for (String url : desiredRelays()) {
            RelayClient c = client(url);
            if (c == null) {
                continue;
            }
            if (pubkeys.equals(subscribedFor.get(url)) && subscriptions.containsKey(url)) {
                continue;
            }
            Subscription old = subscriptions.remove(url);
            if (old != null) {
                old.close();
            }
            Filter f = Filter.builder().kinds(Bunker.KIND).tag('p', pubkeys)
                    .since(Instant.now().minus(LOOKBACK).getEpochSecond()).build();
            try {
                subscriptions.put(url, c.subscribe(List.of(f), listener()));
                subscribedFor.put(url, List.copyOf(pubkeys));
            } catch (RelayException e) {
                LOG.warn("cannot subscribe on {}: {}", url, e.getMessage());
            }
        }
    }

    private SubscriptionListener listener() {
        return new SubscriptionListener() {
            @Override
            public void onEvent(String relayUrl, Event event) {
                handlers.submit(() -> {
                    try {
                        bunker.handle(event, relayUrl, BunkerRelayLink.this::publish);
                    } catch (RuntimeException e) {
                        LOG.warn("NIP-46 request {} failed", event.id(), e);
                    }
                });
            }

            @Override
            public void onClosed(String relayUrl, String reason) {
                LOG.warn("{} closed the bunker subscription: {}", relayUrl, reason);
                subscriptions.remove(relayUrl);
            }

            @Override
            public void onFailure(String relayUrl, RelayException error) {
                LOG.warn("bunker subscription on {} failed: {}", relayUrl, error.getMessage());
                subscriptions.remove(relayUrl);
                RelayClient dead = clients.remove(relayUrl);
                if (dead != null) {
                    dead.close();
                }
            }
        };
    }

    private RelayClient client(String url) {
        RelayClient c = clients.get(url);
        if (c != null) {
            return c;
        }
        try {
            c = RelayClient.connect(url, options);
            clients.put(url, c);
            return c;
        } catch (RelayException | IllegalArgumentException e) {
            LOG.warn("cannot connect to bunker relay {}: {}", url, e.getMessage());
            return null;
        }
    }

    /** Publishes a bunker response to the relays it names. */
    public void publish(Bunker.Outgoing out) {
        List<String> targets = new ArrayList<>(out.relays());
        if (!subscriptions.keySet().containsAll(targets)) {
            // A new client's relays: listen there before it can answer us.
            refreshQuietly();
        }
        for (String url : targets) {
            RelayClient c = client(url);
            if (c == null) {
                continue;
            }
            c.publish(out.event()).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.warn("publishing NIP-46 response to {} failed: {}", url, e.getMessage());
                } else if (!r.accepted()) {
                    LOG.warn("{} refused NIP-46 response: {}", url, r.message());
                }
            });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        handlers.shutdownNow();
        subscriptions.values().forEach(Subscription::close);
        clients.values().forEach(RelayClient::close);
    }
}
