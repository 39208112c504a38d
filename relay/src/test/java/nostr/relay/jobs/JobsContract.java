package nostr.relay.jobs;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.Relay;
import nostr.relay.config.Operations;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.relay.store.TestEvents;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.SettableClock;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The relay's background jobs on a running relay, one subclass per storage adapter: NIP-40 expiry
 * purge (clock moved by hand), kind retention, the NIP-62 scrub after requests to vanish, and the
 * moderation reload picking up changes another node made in the shared store. Intervals are short;
 * tests wait on job runs and conditions with deadlines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JobsContract {
    private static final Duration TICK = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A regular kind with a one-hour retention in these tests. */
    static final int SHORT_LIVED_KIND = 9_999;

    protected Storage storage;
    private final SettableClock clock = new SettableClock();
    private Relay relay;

    protected abstract Storage openStorage() throws Exception;

    @BeforeAll
    void start() throws Exception {
        storage = openStorage();
        Operations ops = Operations.defaults().withIntervals(TICK, TICK, TICK, TICK)
                .withKindRetention(Map.of(SHORT_LIVED_KIND, Duration.ofHours(1)));
        relay = Relay.start(RelayConfig.defaults().withPort(0)
                .withDataDir(java.nio.file.Files.createTempDirectory("jobs-relay")).withOperations(ops), storage, clock);
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    private RelayMessage.Ok publish(Event e) {
        try (WsClient c = WsClient.connect(relay.url())) {
            return c.publish(e);
        }
    }

    /** Whether the row is stored at all, expired or not (a query at time 0 hides nothing). */
    private boolean stored(String id) throws StoreException {
        return !TestEvents.query(storage.events(), Filter.builder().ids(List.of(id)).build(), 1, 0).isEmpty();
    }

    private void awaitGone(String what, String id) {
        MessageLog.until(what, () -> {
            try {
                return !stored(id);
            } catch (StoreException e) {
                return false;
            }
        });
    }

    /** Waits for {@code n} more completed runs of a job. */
    private void awaitMoreRuns(String job, int n) throws InterruptedException {
        long target = relay.jobs().status(job).runs() + n;
        assertTrue(relay.jobs().awaitRuns(job, target, WAIT), job + " did not run");
    }

    @Test
    void nip40ExpiryPurgeDeletesEventsOnceTheirExpirationPasses() throws Exception {
        SecretKey k = SecretKey.generate();
        long now = clock.seconds();
        Event expiring = event(k, 1, now, "short-lived", tag("expiration", Long.toString(now + 600)));
        Event lasting = event(k, 1, now, "lasting");
        assertTrue(publish(expiring).accepted());
        assertTrue(publish(lasting).accepted());
        awaitMoreRuns("expiry_purge", 2);
        assertTrue(stored(expiring.id()), "not expired yet: kept");

        long rowsBefore = relay.jobs().status("expiry_purge").rows();
        clock.advance(Duration.ofSeconds(601));
        awaitGone("expired event purged", expiring.id());
        assertTrue(stored(lasting.id()));
        awaitMoreRuns("expiry_purge", 1);
        assertTrue(relay.jobs().status("expiry_purge").rows() > rowsBefore);
        assertTrue(metrics().contains("parrhesia_job_runs_total{job=\"expiry_purge\",outcome=\"ok\"}"));
    }

    @Test
    void kindRetentionDeletesEventsOfTheKindOlderThanItsRetention() throws Exception {
        SecretKey k = SecretKey.generate();
        long now = clock.seconds();
        Event old = event(k, SHORT_LIVED_KIND, now - 2 * 3600, "old group message");
        Event recent = event(k, SHORT_LIVED_KIND, now - 60, "recent group message");
        Event otherKind = event(k, 1, now - 2 * 3600, "old note, another kind");
        assertTrue(publish(old).accepted());
        assertTrue(publish(recent).accepted());
        assertTrue(publish(otherKind).accepted());
        awaitGone("old event of the retained kind purged", old.id());
        awaitMoreRuns("kind_retention", 2);
        assertTrue(stored(recent.id()));
        assertTrue(stored(otherKind.id()));

        clock.advance(Duration.ofHours(1));
        awaitGone("the recent one once it is older than the retention", recent.id());
        assertTrue(stored(otherKind.id()));
    }

    @Test
    void nip62VanishScrubRunsOnceAfterEachNewRequestToVanish() throws Exception {
        awaitMoreRuns("vanish_scrub", 1);
        long scrubbedBefore = relay.jobs().status("vanish_scrub").rows();
        SecretKey k = SecretKey.generate();
        Event e = event(k, 1, clock.seconds(), "gone soon");
        assertTrue(publish(e).accepted());
        storage.events().vanish(k.publicKey().hex(), clock.seconds());
        MessageLog.until("scrub after the request", () -> relay.jobs().status("vanish_scrub").rows() == scrubbedBefore + 1);
        awaitMoreRuns("vanish_scrub", 3);
        assertEquals(scrubbedBefore + 1, relay.jobs().status("vanish_scrub").rows(), "nothing new: no more scrubs");
        assertFalse(stored(e.id()));
    }

    @Test
    void moderationReloadPicksUpBansAnotherNodeWroteToTheStore() throws Exception {
        SecretKey k = SecretKey.generate();
        assertTrue(publish(event(k, 1, clock.seconds(), "before")).accepted());
        // Written straight to the store, as another relay node sharing it would.
        storage.moderation().banPubkey(k.publicKey().hex(), "banned elsewhere");
        MessageLog.until("ban picked up", () -> !publish(event(k, 1, clock.seconds(), "probe")).accepted());
        RelayMessage.Ok refused = publish(event(k, 1, clock.seconds(), "after"));
        assertTrue(refused.message().startsWith("blocked:"), refused.message());
        storage.moderation().unbanPubkey(k.publicKey().hex());
        MessageLog.until("unban picked up", () -> publish(event(k, 1, clock.seconds(), "again")).accepted());
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(relay.url().replace("ws://", "http://") + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
