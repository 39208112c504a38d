package nostr.relay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nostr.core.client.RelayClient;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import nostr.core.testing.BinScript;
import org.junit.jupiter.api.Test;

/**
 * The network commands of the real {@code bin/nostr} (separate JVM, pipes) against the real relay
 * running in this JVM: NIP-01 publish and its OK lines, req printing events exactly as stored,
 * {@code req --stream} receiving a live event, NIP-45 count (count and registers, a refusal), and
 * the exit codes of refusals and unreachable relays.
 */
class NostrCliRelayIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final SecretKey author = SecretKey.generate();

    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "ws://127.0.0.1:" + s.getLocalPort() + "/";
        }
    }

    @Test
    void nip01EventPipedIntoPublishIsAcceptedAndReqPrintsItExactlyAsReceived() throws Exception {
        try (RunningRelay relay = RunningRelay.start()) {
            Map<String, String> env = Map.of("NOSTR_SECRET_KEY", author.toNsec());
            BinScript.Result signed = BinScript.run("nostr", "", env, "event", "-k", "1", "-c", "from the cli",
                    "-t", "t=cli");
            assertEquals(0, signed.exitCode(), signed.stderr());
            Event e = Event.parse(signed.lines().getFirst());
            // A second event with unusual spacing: req must print it byte for byte as published.
            Event base = new EventTemplate(e.createdAt() - 1, 1, List.of(), "spaced").sign(author);
            String spaced = "{ \"content\": \"spaced\", \"kind\": 1, \"tags\": [], \"created_at\": " + base.createdAt()
                    + ", \"pubkey\": \"" + base.pubkey() + "\", \"id\": \"" + base.id() + "\", \"sig\": \""
                    + base.sig() + "\" }";

            BinScript.Result pub = BinScript.run("nostr", signed.stdout() + spaced + "\n", "publish", "-r", relay.url());
            assertEquals(0, pub.exitCode(), pub.stderr());
            assertEquals(List.of(
                    "{\"relay\":\"" + relay.url() + "\",\"id\":\"" + e.id() + "\",\"accepted\":true,\"message\":\"\"}",
                    "{\"relay\":\"" + relay.url() + "\",\"id\":\"" + base.id() + "\",\"accepted\":true,\"message\":\"\"}"),
                    pub.lines());

            BinScript.Result req = BinScript.run("nostr", null, "req", "-r", relay.url(), "-k", "1",
                    "-a", author.publicKey().npub());
            assertEquals(0, req.exitCode(), req.stderr());
            assertEquals(List.of(e.json(), spaced), req.lines());

            BinScript.Result tagged = BinScript.run("nostr", null, "req", "-r", relay.url(), "-t", "t=cli");
            assertEquals(List.of(e.json()), tagged.lines());
        }
    }

    @Test
    void nip01RefusedPublishExitsOneAndUnreachableRelayExitsThree() throws Exception {
        try (RunningRelay relay = RunningRelay.start()) {
            Event e = EventTemplate.of(1, "genuine", List.of()).sign(author);
            String forged = e.json().replace("\"genuine\"", "\"forged\"");
            BinScript.Result refused = BinScript.run("nostr", forged + "\n", "publish", "-r", relay.url());
            assertEquals(1, refused.exitCode(), refused.stderr());
            String line = refused.lines().getFirst();
            assertTrue(line.startsWith("{\"relay\":\"" + relay.url() + "\",\"id\":\"" + e.id()
                    + "\",\"accepted\":false,\"message\":\"invalid: "), line);

            String dead = deadUrl();
            BinScript.Result partly = BinScript.run("nostr", e.json() + "\n", "publish", "-r", relay.url(), "-r", dead);
            assertEquals(3, partly.exitCode(), partly.stderr());
            assertEquals(List.of(
                    "{\"relay\":\"" + relay.url() + "\",\"id\":\"" + e.id() + "\",\"accepted\":true,\"message\":\"\"}",
                    "{\"relay\":\"" + dead + "\",\"id\":\"" + e.id() + "\",\"accepted\":false,\"error\":\"" + dead
                            + ": connection refused\"}"), partly.lines());

            BinScript.Result req = BinScript.run("nostr", null, "req", "-r", dead, "-r", relay.url(),
                    "-i", e.id());
            assertEquals(3, req.exitCode());
            assertEquals(List.of(e.json()), req.lines(), "the live relay still answered");
            assertEquals("nostr req: " + dead + ": connection refused", req.stderr().strip());
        }
    }

    @Test
    void nip45CountPrintsTheCountAndRegistersAndARefusalExitsOne() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient client = RelayClient.connect(relay.url())) {
            Event followed = EventTemplate.of(0, "{}", List.of()).sign(author);
            assertTrue(client.publish(followed).get(20, TimeUnit.SECONDS).accepted());
            List<String> followers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                SecretKey k = SecretKey.generate();
                followers.add(k.publicKey().hex());
                Event contacts = EventTemplate.of(3, "", List.of(List.of("p", author.publicKey().hex()))).sign(k);
                assertTrue(client.publish(contacts).get(20, TimeUnit.SECONDS).accepted());
            }
            BinScript.Result r = BinScript.run("nostr", null, "count", "-r", relay.url(), "-k", "3",
                    "-t", "p=" + author.publicKey().hex());
            assertEquals(0, r.exitCode(), r.stderr());
            String hll = nostr.relay.testing.NostrToolsHll.compute(author.publicKey().hex(), followers).hll();
            assertEquals(List.of("{\"relay\":\"" + relay.url() + "\",\"count\":5,\"approximate\":false,\"hll\":\"" + hll + "\"}"),
                    r.lines());

            BinScript.Result plain = BinScript.run("nostr", null, "count", "-r", relay.url(), "-a", author.publicKey().npub());
            assertEquals(0, plain.exitCode(), plain.stderr());
            assertEquals(List.of("{\"relay\":\"" + relay.url() + "\",\"count\":1,\"approximate\":false}"), plain.lines());

            BinScript.Result refused = BinScript.run("nostr", null, "count", "-r", relay.url(), "-k", "1059");
            assertEquals(1, refused.exitCode(), refused.stderr());
            String line = refused.lines().getFirst();
            assertTrue(line.startsWith("{\"relay\":\"" + relay.url() + "\",\"error\":\""), line);
            assertTrue(line.contains("auth-required: kind 1059 gift wraps"), line);
        }
    }

    @Test
    void nip01ReqStreamPrintsStoredThenLiveEventsUntilStopped() throws Exception {
        try (RunningRelay relay = RunningRelay.start();
             RelayClient writer = RelayClient.connect(relay.url())) {
            Event stored = EventTemplate.of(1, "stored", List.of()).sign(author);
            assertTrue(writer.publish(stored).get(20, TimeUnit.SECONDS).accepted());

            Process p = BinScript.start("nostr", Map.of(), "req", "--stream", "-r", relay.url(), "-a",
                    author.publicKey().hex());
            try {
                p.getOutputStream().close();
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread.ofVirtual().start(() -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        r.lines().forEach(lines::add);
                    } catch (java.io.IOException ignored) {
                        // the process ended
                    }
                });
                assertEquals(stored.json(), lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

                // The stored event came through the stream's subscription, so it is registered: a new
                // event now is live.
                Event live = EventTemplate.of(1, "live", List.of()).sign(author);
                assertTrue(writer.publish(live).get(20, TimeUnit.SECONDS).accepted());
                assertEquals(live.json(), lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertTrue(p.isAlive(), "--stream stays after EOSE");
            } finally {
                p.destroy();
            }
            int code = BinScript.waitFor(p, WAIT);
            assertEquals(143, code, "ended by SIGTERM");
        }
    }
}
