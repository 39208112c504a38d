package nostr.relay.access;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.message.RelayMessage;
import nostr.core.nip13.Pow;
import nostr.core.testing.JsonTree;
import nostr.relay.config.KindSet;
import nostr.relay.config.PolicyConfig;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The write policy over real WebSockets: NIP-13 proof of work, NIP-40 expiry on arrival, kind
 * allow/deny, blocked IPs (and X-Forwarded-For behind a trusted proxy), rate limits per
 * connection, address, author and new connections (refilled by moving the relay's clock), MLS
 * kinds, the write-policy plugin (accept, reject, shadowReject, timeout, crash), NIP-11 and the
 * per-stage metrics. Every refusal leaves the store unchanged. One subclass per store.
 */
public abstract class WritePolicyContract extends AccessContractBase {

    private static String plugin(String name) throws Exception {
        return "node " + Path.of(WritePolicyContract.class.getResource("/plugins/" + name).toURI());
    }

    private Event weak(int kind, int bits, String text) {
        for (int i = 0; ; i++) {
            Event e = event(alice, kind, now, text + " " + i);
            if (Pow.difficulty(e.id()) < bits) {
                return e;
            }
        }
    }

    @Test
    void nip13MinimumDifficultyAndCommittedTarget() throws Exception {
        start(PolicyConfig.defaults().withPow(new PolicyConfig.Pow(8, Map.of(7, 0), false)));
        WsClient c = client();
        Event weak = weak(1, 8, "no work");
        RelayMessage.Ok refused = c.publish(weak);
        assertFalse(refused.accepted());
        assertEquals("pow", refused.prefix(), refused.message());
        assertEquals(List.of(), stored(Filter.builder().ids(weak.id()).build()));
        Event mined = Pow.mine(new EventTemplate(now, 1, List.of(), "mined"), pk(alice), 8, 1).sign(alice);
        assertTrue(c.publish(mined).accepted());
        Event lucky = null;
        for (long n = 0; lucky == null; n++) {
            Event e = event(alice, 1, now, "lucky", tag("nonce", Long.toString(n), "3"));
            if (Pow.difficulty(e.id()) >= 8) {
                lucky = e;
            }
        }
        RelayMessage.Ok low = c.publish(lucky);
        assertEquals("pow", low.prefix(), low.message());
        assertTrue(low.message().contains("commits to difficulty 3"), low.message());
        assertTrue(c.publish(weak(7, 8, "kind 7 is exempt")).accepted());
        String doc = nip11();
        assertEquals(8L, JsonTree.<Long>at(JsonTree.parse(doc), "limitation", "min_pow_difficulty"));
        assertTrue(metrics().contains("parrhesia_policy_rejections_total{stage=\"pow\"} 2.0"), "per-stage metric");
    }

    @Test
    void nip40ExpiredEventsAreRefusedOnArrivalAndNeverServed() throws Exception {
        start(PolicyConfig.defaults());
        WsClient c = client();
        Event expired = event(alice, 1, now - 10, "too late", tag("expiration", Long.toString(now - 1)));
        RelayMessage.Ok refused = c.publish(expired);
        assertEquals("invalid", refused.prefix(), refused.message());
        assertTrue(refused.message().contains("expired"), refused.message());
        Event malformed = event(alice, 1, now, "bad tag", tag("expiration", "tomorrow"));
        assertEquals("invalid", c.publish(malformed).prefix());
        Event soon = event(alice, 1, now, "short-lived", tag("expiration", Long.toString(now + 30)));
        assertTrue(c.publish(soon).accepted());
        assertEquals(List.of(soon.id()), c.query("before", Filter.builder().authors(pk(alice)).build()));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of(), client().query("after", Filter.builder().authors(pk(alice)).build()), "expired: never served");
        assertEquals(List.of(), stored(Filter.builder().authors(pk(alice)).build()));
    }

    @Test
    void kindsDenyAllowAndTheStoresAllowedKinds() throws Exception {
        start(PolicyConfig.defaults().withKinds(KindSet.parse("kinds_allow", "0-3"), KindSet.parse("kinds_deny", "2")));
        WsClient c = client();
        assertTrue(c.publish(event(alice, 1, now, "allowed")).accepted());
        assertEquals("restricted", c.publish(event(alice, 2, now, "denied")).prefix());
        assertEquals("restricted", c.publish(event(alice, 7, now, "not allowed")).prefix());
        storage.moderation().allowKind(7);
        try {
            relay.reloadModeration();
            assertTrue(c.publish(event(alice, 7, now, "allowed by NIP-86 allowkind")).accepted());
        } finally {
            storage.moderation().disallowKind(7);
        }
        assertEquals(true, JsonTree.<Boolean>at(JsonTree.parse(nip11()), "limitation", "restricted_writes"));
    }

    @Test
    void blockedAddressesCannotConnectWriteOrRead() throws Exception {
        start(PolicyConfig.defaults());
        WsClient open = client();
        open.challenge();
        storage.moderation().blockIp("127.0.0.1", "abuse");
        try {
            relay.reloadModeration();
            assertEquals(403, upgradeStatus(Map.of()), "new connections are refused");
            RelayMessage.Ok refused = open.publish(event(alice, 1, now, "from a blocked address"));
            assertEquals("blocked", refused.prefix(), refused.message());
            open.req("s", Filter.builder().authors(pk(alice)).build());
            assertTrue(open.awaitClosed("s").startsWith("blocked:"));
        } finally {
            storage.moderation().unblockIp("127.0.0.1");
        }
        relay.reloadModeration();
        assertEquals(101, upgradeStatus(Map.of()));
        assertTrue(metrics().contains("parrhesia_connections_refused_total{reason=\"blocked\"} 1.0"));
    }

    @Test
    void forwardedForIsHonouredOnlyBehindATrustedProxy() throws Exception {
        storage.moderation().blockIp("203.0.113.9", "");
        try {
            start(PolicyConfig.defaults());
            assertEquals(101, upgradeStatus(Map.of("X-Forwarded-For", "203.0.113.9")), "not trusted: the header is ignored");
            start(PolicyConfig.defaults().withTrustProxy(true));
            assertEquals(403, upgradeStatus(Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.9")));
            assertEquals(101, upgradeStatus(Map.of("X-Forwarded-For", "203.0.113.9, 198.51.100.1")),
                    "only the entry the proxy appended counts");
            WsClient viaProxy = client(Map.of("X-Forwarded-For", "198.51.100.1"));
            assertTrue(viaProxy.publish(event(alice, 1, now, "from 198.51.100.1")).accepted());
        } finally {
            storage.moderation().unblockIp("203.0.113.9");
        }
    }

    @Test
    void rateLimitsPerAddressAndPerAuthorRefillWithTheClock() throws Exception {
        start(PolicyConfig.defaults().withRates(new PolicyConfig.Rates(1, 2, 1, 1, 0, 0)));
        WsClient one = client();
        WsClient two = client();
        assertTrue(one.publish(event(alice, 1, now, "a1")).accepted());
        RelayMessage.Ok author = one.publish(event(alice, 1, now, "a2"));
        assertEquals("rate-limited", author.prefix(), author.message());
        assertTrue(author.message().contains("author"), author.message());
        RelayMessage.Ok address = two.publish(event(bob, 1, now, "b1"));
        assertEquals("rate-limited", address.prefix(), "the address bucket (burst 2) is shared by both connections");
        assertTrue(address.message().contains("address"), address.message());
        clock.advance(Duration.ofSeconds(2));
        assertTrue(two.publish(event(bob, 1, now, "b2")).accepted(), "refilled after two seconds");
        assertEquals(2, stored(Filter.builder().authors(pk(alice), pk(bob)).build()).size());
    }

    @Test
    void newConnectionsPerAddressAreLimited() throws Exception {
        start(PolicyConfig.defaults().withRates(new PolicyConfig.Rates(0, 0, 0, 0, 1, 2)));
        assertEquals(101, upgradeStatus(Map.of()));
        assertEquals(101, upgradeStatus(Map.of()));
        assertEquals(429, upgradeStatus(Map.of()));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(101, upgradeStatus(Map.of()));
        assertTrue(metrics().contains("parrhesia_connections_refused_total{reason=\"rate-limited\"} 1.0"));
    }

    @Test
    void connectionEventRateStillApplies() throws Exception {
        start(c -> c.withLimits(new nostr.relay.config.Limits(524_288, 50, 20, 5000, 500, 64, 2000, 102_400, 10_000, 0, 900, 1, 1)));
        WsClient c = client();
        assertTrue(c.publish(event(alice, 1, now, "one")).accepted());
        assertEquals("rate-limited", c.publish(event(alice, 1, now, "two")).prefix());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(c.publish(event(alice, 1, now, "three")).accepted());
    }

    @Test
    void mlsDisabledTreatsItsKindsAsOrdinaryEvents() throws Exception {
        start(PolicyConfig.defaults());
        WsClient c = client();
        assertTrue(c.publish(event(alice, 445, now - 30 * 86400, "old group event, no h tag")).accepted());
        assertTrue(c.publish(event(alice, 443, now, "key package without tags")).accepted());
    }

    @Test
    void mlsEnabledValidatesKeyPackagesAndKeepsGroupEventsForTheirTtl() throws Exception {
        start(PolicyConfig.defaults().withMls(new PolicyConfig.Mls(true, 3600)));
        WsClient c = client();
        Event old = event(alice, 445, now - 3601, "ciphertext", tag("h", "group-" + pk(alice)));
        RelayMessage.Ok refused = c.publish(old);
        assertEquals("invalid", refused.prefix(), refused.message());
        Event fresh = event(alice, 445, now - 10, "ciphertext", tag("h", "group-" + pk(alice)));
        assertTrue(c.publish(fresh).accepted());
        assertEquals("invalid", c.publish(event(alice, 445, now, "no h tag")).prefix());
        assertEquals("invalid", c.publish(event(alice, 443, now, "kp", tag("ciphersuite", "0x0001"))).prefix());
        Event kp = event(alice, 443, now, "00ff", tag("mls_protocol_version", "1.0"), tag("ciphersuite", "0x0001"), tag("-"));
        assertEquals("auth-required", c.publish(kp).prefix(), "a protected key package needs its author's AUTH");
        assertTrue(authed(alice).publish(kp).accepted());
        Event relays1 = event(alice, 10051, now - 1, "", tag("relay", "wss://a.example"));
        Event relays2 = event(alice, 10051, now, "", tag("relay", "wss://b.example"));
        assertTrue(c.publish(relays1).accepted());
        assertTrue(c.publish(relays2).accepted());
        assertEquals(List.of(relays2.id()), c.query("kp-relays", Filter.builder().kinds(10051).authors(pk(alice)).build()));
        assertEquals(List.of(fresh.id()), c.query("group", Filter.builder().kinds(445).tag('h', "group-" + pk(alice)).build()));
        // What relay-ops's purge job does with the retention: older group events go.
        clock.advance(Duration.ofSeconds(3600));
        assertEquals(1, storage.events().purgeKindOlderThan(445,
                new PolicyConfig.Mls(true, 3600).groupEventCutoff(clock.millis() / 1000)));
        assertEquals(List.of(), stored(Filter.builder().kinds(445).tag('h', "group-" + pk(alice)).build()));
    }

    @Test
    void mlsEnabledRetentionJobPurgesGroupEventsPastTheirTtl() throws Exception {
        start(c -> c.withPolicy(PolicyConfig.defaults().withMls(new PolicyConfig.Mls(true, 3600)))
                .withOperations(c.operations().withIntervals(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(100))));
        String group = "retention-" + pk(alice);
        Event old = event(alice, 445, now - 7200, "old", tag("h", group));
        Event fresh = event(alice, 445, now - 10, "fresh", tag("h", group));
        Event oldNote = event(alice, 1, now - 7200, "an old note is not a group event");
        // Written past the policy (an import, or a relay that ran without MLS before).
        storage.events().write(List.of(old, fresh, oldNote));
        long runs = relay.jobs().status("kind_retention").runs();
        assertTrue(relay.jobs().awaitRuns("kind_retention", runs + 2, Duration.ofSeconds(20)));
        assertEquals(List.of(fresh.id()), stored(Filter.builder().tag('h', group).build()));
        assertEquals(List.of(oldNote.id()), stored(Filter.builder().ids(oldNote.id()).build()));
    }

    @Test
    void writePolicyPluginAcceptsRejectsAndShadowRejects() throws Exception {
        start(PolicyConfig.defaults().withPlugin(new PolicyConfig.Plugin(plugin("by-content.mjs"), Duration.ofSeconds(20), false)));
        WsClient watcher = client();
        watcher.req("live", Filter.builder().authors(pk(alice)).build());
        watcher.awaitEose("live");
        WsClient c = client();
        Event ok = event(alice, 1, now, "fine");
        assertTrue(c.publish(ok).accepted());
        Event rejected = event(alice, 1, now, "reject me");
        RelayMessage.Ok r = c.publish(rejected);
        assertFalse(r.accepted());
        assertEquals("blocked: the test plugin refuses \"reject me\"", r.message());
        Event shadow = event(alice, 1, now, "shadow me");
        RelayMessage.Ok s = c.publish(shadow);
        assertTrue(s.accepted(), "a shadow rejection looks accepted");
        Event marker = event(alice, 1, now, "marker");
        assertTrue(c.publish(marker).accepted());
        watcher.awaitEvent("live", marker.id());
        assertEquals(List.of(ok.id(), marker.id()), watcher.eventIds("live"), "neither the rejected nor the shadowed one was broadcast");
        assertEquals(List.of(marker.id(), ok.id()).stream().sorted().toList(),
                stored(Filter.builder().authors(pk(alice)).build()).stream().sorted().toList());
        String m = metrics();
        assertTrue(m.contains("parrhesia_write_policy_plugin_total{result=\"shadow_reject\"} 1.0"), m);
        assertTrue(m.contains("parrhesia_policy_rejections_total{stage=\"plugin\"} 1.0"), m);
    }

    @Test
    void writePolicyPluginThatHangsFailsClosedOrOpenAsConfigured() throws Exception {
        start(PolicyConfig.defaults().withPlugin(new PolicyConfig.Plugin(plugin("hang.mjs"), Duration.ofMillis(300), false)));
        WsClient c = client();
        Event e = event(alice, 1, now, "nobody answers");
        RelayMessage.Ok refused = c.publish(e);
        assertFalse(refused.accepted());
        assertEquals("error", refused.prefix(), refused.message());
        assertTrue(refused.message().contains("did not answer within 300 ms"), refused.message());
        assertEquals(List.of(), stored(Filter.builder().ids(e.id()).build()));

        start(PolicyConfig.defaults().withPlugin(new PolicyConfig.Plugin(plugin("hang.mjs"), Duration.ofMillis(300), true)));
        Event open = event(alice, 1, now, "fail open");
        assertTrue(client().publish(open).accepted());
        assertEquals(List.of(open.id()), stored(Filter.builder().ids(open.id()).build()));
    }

    @Test
    void writePolicyPluginThatCrashesIsRestarted() throws Exception {
        start(PolicyConfig.defaults().withPlugin(new PolicyConfig.Plugin(plugin("by-content.mjs"), Duration.ofSeconds(20), false)));
        WsClient c = client();
        assertTrue(c.publish(event(alice, 1, now, "before")).accepted());
        Event crash = event(alice, 1, now, "crash");
        RelayMessage.Ok refused = c.publish(crash);
        assertEquals("error", refused.prefix(), refused.message());
        assertTrue(c.publish(event(alice, 1, now, "after")).accepted(), "a new plugin process answers");
        assertEquals(List.of(), stored(Filter.builder().ids(crash.id()).build()));
    }

    @Test
    void nip11AdvertisesAuthAndRestrictedWrites() throws Exception {
        start(PolicyConfig.defaults().withAuth(new PolicyConfig.Auth(PolicyConfig.AuthMode.ALL, KindSet.EMPTY, KindSet.EMPTY, 600)));
        Object doc = JsonTree.parse(nip11());
        assertEquals(true, JsonTree.<Boolean>at(doc, "limitation", "auth_required"));
        assertEquals(true, JsonTree.<Boolean>at(doc, "limitation", "restricted_writes"));
        List<Long> nips = JsonTree.at(doc, "supported_nips");
        assertTrue(nips.containsAll(List.of(13L, 17L, 40L, 42L, 44L, 59L, 70L)), nips.toString());
        start(PolicyConfig.defaults());
        Object open = JsonTree.parse(nip11());
        assertEquals(false, JsonTree.<Boolean>at(open, "limitation", "auth_required"));
        assertEquals(false, JsonTree.<Boolean>at(open, "limitation", "restricted_writes"));
    }
}
