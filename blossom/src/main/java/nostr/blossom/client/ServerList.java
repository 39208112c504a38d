package nostr.blossom.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.client.RelayException;
import nostr.core.client.RelayPool;
import nostr.core.client.Subscription;
import nostr.core.client.SubscriptionListener;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;

/**
 * BUD-03 user server lists: the replaceable kind 10063 event whose {@code server} tags name the
 * Blossom servers a user keeps blobs on, most trusted first.
 */
public final class ServerList {
    /** The user server list kind. */
    public static final int KIND = 10063;

    private ServerList() {}

    /** An unsigned server list naming {@code servers} in order. */
    public static EventTemplate template(List<URI> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a server list needs at least one server (BUD-03)");
        }
        List<List<String>> tags = new ArrayList<>();
        for (URI s : servers) {
            tags.add(List.of("server", checked(s).toString()));
        }
        return EventTemplate.of(KIND, "", tags);
    }

    /**
     * The servers a kind 10063 event names, in its order, each once; tags that are not http(s)
     * URLs with a host are skipped.
     *
     * @throws IllegalArgumentException when the event is not kind 10063
     */
    public static List<URI> servers(Event list) {
        if (list.kind() != KIND) {
            throw new IllegalArgumentException("a server list is kind " + KIND + ", got " + list.kind());
        }
        LinkedHashSet<URI> out = new LinkedHashSet<>();
        for (String v : list.tagValues("server")) {
            try {
                out.add(checked(URI.create(v.strip())));
            } catch (IllegalArgumentException skipped) {
                // not a usable server URL; BUD-03 wants full http(s) URLs
            }
        }
        return List.copyOf(out);
    }

    /**
     * Reads {@code pubkey}'s newest server list from the pool's relays.
     *
     * @param timeout longest wait for the relays to finish sending stored events
     * @return its servers, or an empty list when no relay has one
     */
    public static List<URI> fetch(RelayPool pool, String pubkey, Duration timeout) throws InterruptedException {
        Filter f = Filter.builder().kinds(KIND).authors(pubkey).limit(1).build();
        AtomicReference<Event> newest = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Subscription sub = pool.subscribe(List.of(f), new SubscriptionListener() {
            @Override
            public void onEvent(String relayUrl, Event event) {
                if (event.kind() == KIND && event.pubkey().equals(pubkey)) {
                    newest.accumulateAndGet(event, (a, b) -> a == null || b.createdAt() > a.createdAt()
                            || (b.createdAt() == a.createdAt() && b.id().compareTo(a.id()) < 0) ? b : a);
                }
            }

            @Override
            public void onEose() {
                done.countDown();
            }

            @Override
            public void onFailure(String relayUrl, RelayException error) {
                // other relays may still answer; the pool calls onEose once all have ended
            }
        });
        try {
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            sub.close();
        }
        Event e = newest.get();
        return e == null ? List.of() : servers(e);
    }

    private static URI checked(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("a Blossom server must be an http(s) URL with a host, got '" + u + "'");
        }
        return u;
    }
}
