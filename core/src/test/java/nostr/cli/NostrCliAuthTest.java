package nostr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nostr.core.client.WebSocketTestServer;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.nip42.Nip42;
import org.junit.jupiter.api.Test;

/**
 * {@code --auth} of the network commands (NIP-42 "Protocol flow"): the CLI answers the relay's
 * challenge with the key of {@code --sec}, and a REQ closed or an event refused with
 * {@code auth-required:} is sent again after the AUTH is accepted. The relay is a scripted
 * WebSocket server (parrhesia sends no AUTH challenges yet); the CLI runs in-process.
 */
class NostrCliAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Checks the AUTH frame as a relay must, then accepts it. */
    private static void acceptAuth(WebSocketTestServer.Peer peer, String frame, String url, String challenge,
                                   SecretKey expected) throws Exception {
        Event auth = ((ClientMessage.Auth) ClientMessage.parse(frame)).event();
        Nip42.verify(auth, challenge, url, Instant.now().getEpochSecond(), 60);
        assertEquals(expected.publicKey().hex(), auth.pubkey());
        peer.send("[\"OK\"," + Json.quote(auth.id()) + ",true,\"\"]");
    }

    @Test
    void nip42ReqClosedAuthRequiredIsAnsweredWithTheSecKeyAndSentAgain() throws Exception {
        SecretKey me = SecretKey.generate();
        Event dm = EventTemplate.of(4, "for members", List.of()).sign(SecretKey.generate());
        try (WebSocketTestServer relay = WebSocketTestServer.start()) {
            CompletableFuture<Cli.Run> run = CompletableFuture.supplyAsync(() -> Cli.nostr("", "req", "-r", relay.url(),
                    "-k", "4", "--auth", "--sec", me.toNsec()));
            WebSocketTestServer.Peer peer = relay.nextPeer(WAIT);
            String sub = ((ClientMessage.Req) ClientMessage.parse(peer.receive(WAIT))).subscriptionId();
            peer.send("[\"AUTH\",\"challenge-1\"]");
            peer.send("[\"CLOSED\"," + Json.quote(sub) + ",\"auth-required: members only\"]");
            acceptAuth(peer, peer.receive(WAIT), relay.url(), "challenge-1", me);
            ClientMessage.Req again = (ClientMessage.Req) ClientMessage.parse(peer.receive(WAIT));
            assertEquals(sub, again.subscriptionId());
            peer.send("[\"EVENT\"," + Json.quote(sub) + "," + dm.json() + "]");
            peer.send("[\"EOSE\"," + Json.quote(sub) + "]");

            Cli.Run r = run.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of(dm.json()), r.lines());
        }
    }

    @Test
    void nip42PublishRefusedAuthRequiredSucceedsAfterAuth() throws Exception {
        SecretKey me = SecretKey.generate();
        Event e = EventTemplate.of(1, "members only", List.of()).sign(me);
        try (WebSocketTestServer relay = WebSocketTestServer.start()) {
            CompletableFuture<Cli.Run> run = CompletableFuture.supplyAsync(() -> Cli.nostr(e.json() + "\n",
                    java.util.Map.of("NOSTR_SECRET_KEY", me.toHex()), "publish", "-r", relay.url(), "--auth"));
            WebSocketTestServer.Peer peer = relay.nextPeer(WAIT);
            assertEquals("[\"EVENT\"," + e.json() + "]", peer.receive(WAIT));
            peer.send("[\"OK\"," + Json.quote(e.id()) + ",false,\"auth-required: who are you?\"]");
            peer.send("[\"AUTH\",\"challenge-2\"]");
            acceptAuth(peer, peer.receive(WAIT), relay.url(), "challenge-2", me);
            assertEquals("[\"EVENT\"," + e.json() + "]", peer.receive(WAIT));
            peer.send("[\"OK\"," + Json.quote(e.id()) + ",true,\"\"]");

            Cli.Run r = run.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("{\"relay\":\"" + relay.url() + "\",\"id\":\"" + e.id()
                    + "\",\"accepted\":true,\"message\":\"\"}"), r.lines());
        }
    }

    @Test
    void nip42WithoutAuthTheRefusalIsFinalAndExitsOne() throws Exception {
        try (WebSocketTestServer relay = WebSocketTestServer.start()) {
            CompletableFuture<Cli.Run> run = CompletableFuture.supplyAsync(() -> Cli.nostr("", "req", "-r", relay.url(),
                    "-k", "4"));
            WebSocketTestServer.Peer peer = relay.nextPeer(WAIT);
            String sub = ((ClientMessage.Req) ClientMessage.parse(peer.receive(WAIT))).subscriptionId();
            peer.send("[\"AUTH\",\"challenge-3\"]");
            peer.send("[\"CLOSED\"," + Json.quote(sub) + ",\"auth-required: members only\"]");
            Cli.Run r = run.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(1, r.code(), r.err());
            assertEquals("nostr req: " + relay.url() + ": closed: auth-required: members only", r.errLine());
            assertTrue(r.out().isEmpty());
        }
    }
}
