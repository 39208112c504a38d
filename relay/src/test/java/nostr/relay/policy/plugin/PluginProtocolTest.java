package nostr.relay.policy.plugin;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.client;
import static nostr.relay.policy.PolicyFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.relay.store.TestEvents;
import org.junit.jupiter.api.Test;

/** strfry's plugin protocol: the request line the relay writes, and the answers it understands. */
class PluginProtocolTest {
    private final SecretKey alice = SecretKey.generate();

    @Test
    void requestLineCarriesTheRawEventAndItsSourceOnOneLine() {
        Event signed = TestEvents.event(alice, 1, NOW, "two\nlines");
        String spaced = "{\n  \"id\": \"" + signed.id() + "\",\r\n \"content\": \"two\\nlines\" }";
        Event raw = new Event(signed.id(), signed.pubkey(), signed.createdAt(), 1, signed.tags(), signed.content(),
                signed.sig(), spaced);
        String line = PluginProtocol.request(request(raw, client("2001:db8::5", alice)));
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        var tree = JsonTree.object(line);
        assertEquals("new", tree.get("type"));
        assertEquals(signed.id(), ((java.util.Map<?, ?>) tree.get("event")).get("id"));
        assertEquals("two\nlines", ((java.util.Map<?, ?>) tree.get("event")).get("content"), "escapes inside strings stay");
        assertEquals(NOW, ((Number) tree.get("receivedAt")).longValue());
        assertEquals("IP6", tree.get("sourceType"));
        assertEquals("2001:db8::5", tree.get("sourceInfo"));
        assertEquals(java.util.List.of(alice.publicKey().hex()), tree.get("authed"));
    }

    @Test
    void answersAreParsedWithPrefixesAddedWhereMissing() {
        var accept = PluginProtocol.parse("{\"id\":\"x\",\"action\":\"accept\",\"extra\":[1,{}]}");
        assertEquals("x", accept.id());
        assertInstanceOf(PluginVerdict.Accept.class, accept.verdict());
        assertInstanceOf(PluginVerdict.ShadowReject.class, PluginProtocol.parse("{\"id\":\"x\",\"action\":\"shadowReject\"}").verdict());
        assertEquals("blocked: go away", ((PluginVerdict.Reject) PluginProtocol.parse(
                "{\"id\":\"x\",\"action\":\"reject\",\"msg\":\"go away\"}").verdict()).message());
        assertEquals("rate-limited: later", ((PluginVerdict.Reject) PluginProtocol.parse(
                "{\"id\":\"x\",\"action\":\"reject\",\"msg\":\"rate-limited: later\"}").verdict()).message());
        assertTrue(((PluginVerdict.Reject) PluginProtocol.parse("{\"id\":\"x\",\"action\":\"reject\"}").verdict())
                .message().startsWith("blocked: "));
    }

    @Test
    void badAnswersAreErrorsNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PluginProtocol.parse("nope")).getMessage().contains("JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PluginProtocol.parse("{\"action\":\"accept\"}"))
                .getMessage().contains("id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PluginProtocol.parse("{\"id\":\"x\",\"action\":\"maybe\"}"))
                .getMessage().contains("maybe"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PluginProtocol.parse("{\"id\":1,\"action\":\"accept\"}"))
                .getMessage().contains("id"));
    }
}
