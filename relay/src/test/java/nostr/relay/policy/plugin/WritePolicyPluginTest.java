package nostr.relay.policy.plugin;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.client;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nostr.core.keys.SecretKey;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.WriteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write-policy plugin process (strfry's protocol) with real node programs from the test
 * resources: decisions by content, answers out of order, a plugin that hangs (timeout, then a
 * new process), one that crashes (its requests fail, the next event gets a new process), and a
 * command that cannot start.
 */
class WritePolicyPluginTest {
    private final SecretKey alice = SecretKey.generate();
    private WritePolicyPlugin plugin;

    static String script(String name) throws Exception {
        return "node " + Path.of(WritePolicyPluginTest.class.getResource("/plugins/" + name).toURI());
    }

    private WritePolicyPlugin start(String command, Duration timeout) {
        plugin = new WritePolicyPlugin(new PolicyConfig.Plugin(command, timeout, false));
        return plugin;
    }

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.close();
        }
    }

    private static CompletableFuture<PluginVerdict> ask(WritePolicyPlugin p, WriteRequest r) {
        CompletableFuture<PluginVerdict> f = new CompletableFuture<>();
        p.decide(r, f::complete);
        return f;
    }

    private WriteRequest content(String c) {
        return request(event(alice, 1, NOW, c));
    }

    private static PluginVerdict await(CompletableFuture<PluginVerdict> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void pluginAcceptsRejectsAndShadowRejectsByContent() throws Exception {
        WritePolicyPlugin p = start(script("by-content.mjs"), Duration.ofSeconds(20));
        assertInstanceOf(PluginVerdict.Accept.class, await(ask(p, content("hello"))));
        assertEquals("blocked: the test plugin refuses \"reject this\"",
                assertInstanceOf(PluginVerdict.Reject.class, await(ask(p, content("reject this")))).message());
        assertEquals("blocked: no prefix here",
                assertInstanceOf(PluginVerdict.Reject.class, await(ask(p, content("plain words")))).message());
        assertInstanceOf(PluginVerdict.ShadowReject.class, await(ask(p, content("shadow me"))));
        assertInstanceOf(PluginVerdict.Accept.class, await(ask(p, content("bad line first"))), "a garbage line is skipped");
        String who = assertInstanceOf(PluginVerdict.Reject.class,
                await(ask(p, request(event(alice, 1, NOW, "whoami"), client("198.51.100.4", alice))))).message();
        assertEquals("blocked: IP4 198.51.100.4 " + alice.publicKey().hex(), who);
        assertEquals(1, p.starts());
    }

    @Test
    void pluginAnswersAreMatchedByIdNotByOrder() throws Exception {
        WritePolicyPlugin p = start(script("by-content.mjs"), Duration.ofSeconds(20));
        CompletableFuture<PluginVerdict> slow = ask(p, content("slow one"));
        CompletableFuture<PluginVerdict> rejected = ask(p, content("reject after slow"));
        assertInstanceOf(PluginVerdict.Reject.class, await(rejected));
        assertInstanceOf(PluginVerdict.Accept.class, await(slow), "answered after the later request");
    }

    @Test
    void hangingPluginTimesOutAndIsReplaced() throws Exception {
        WritePolicyPlugin p = start(script("hang.mjs"), Duration.ofMillis(300));
        PluginVerdict first = await(ask(p, content("anyone there?")));
        assertTrue(assertInstanceOf(PluginVerdict.Failed.class, first).reason().contains("did not answer within 300 ms"), first.toString());
        PluginVerdict second = await(ask(p, content("still there?")));
        assertInstanceOf(PluginVerdict.Failed.class, second);
        assertEquals(2, p.starts(), "the stuck process was stopped and a new one started");
    }

    @Test
    void crashingPluginFailsItsRequestsAndIsRestarted() throws Exception {
        WritePolicyPlugin p = start(script("by-content.mjs"), Duration.ofSeconds(20));
        assertInstanceOf(PluginVerdict.Accept.class, await(ask(p, content("before the crash"))));
        PluginVerdict crashed = await(ask(p, content("crash")));
        assertTrue(assertInstanceOf(PluginVerdict.Failed.class, crashed).reason().contains("exited with status 3"), crashed.toString());
        assertInstanceOf(PluginVerdict.Accept.class, await(ask(p, content("after the crash"))));
        assertEquals(2, p.starts());

        WritePolicyPlugin once = new WritePolicyPlugin(new PolicyConfig.Plugin(script("crash.mjs"), Duration.ofSeconds(20), false));
        try {
            for (int i = 0; i < 3; i++) {
                assertInstanceOf(PluginVerdict.Accept.class, await(ask(once, content("first for this process " + i))));
                assertInstanceOf(PluginVerdict.Failed.class, await(ask(once, content("second kills it " + i))));
            }
            assertEquals(3, once.starts());
        } finally {
            once.close();
        }
    }

    @Test
    void commandThatDiesAtOnceIsNotRestartedInALoop() throws Exception {
        WritePolicyPlugin p = start("exit 7", Duration.ofSeconds(5));
        PluginVerdict first = await(ask(p, content("x")));
        assertInstanceOf(PluginVerdict.Failed.class, first);
        PluginVerdict second = await(ask(p, content("y")));
        assertTrue(assertInstanceOf(PluginVerdict.Failed.class, second).reason().contains("not restarted for a second"),
                second.toString());
        assertEquals(1, p.starts(), "within a second of a silent death no new process is started");
    }
}
