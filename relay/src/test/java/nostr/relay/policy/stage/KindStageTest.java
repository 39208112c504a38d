package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.keys.SecretKey;
import nostr.relay.config.KindSet;
import nostr.relay.policy.ModerationLists;
import org.junit.jupiter.api.Test;

/** Stage 4: kinds_deny, kinds_allow (ranges) and the store's allowed kinds (NIP-86 allowkind); restricted:. */
class KindStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final AtomicReference<ModerationLists> lists = new AtomicReference<>(ModerationLists.open());

    private String check(KindStage s, int kind) {
        return s.check(request(event(alice, kind, NOW, "x")));
    }

    @Test
    void everyKindPassesWithoutLists() {
        KindStage s = new KindStage(KindSet.EMPTY, KindSet.EMPTY, lists::get);
        assertNull(check(s, 1));
        assertNull(check(s, 30023));
    }

    @Test
    void denyWinsOverAllow() {
        KindStage s = new KindStage(KindSet.parse("kinds_allow", "1, 30000-39999"), KindSet.parse("kinds_deny", "30023"), lists::get);
        assertNull(check(s, 1));
        assertNull(check(s, 30024));
        assertTrue(check(s, 30023).startsWith("restricted:"));
        assertTrue(check(s, 7).startsWith("restricted:"));
    }

    @Test
    void nip62RequestToVanishPassesKindRules() {
        assertNull(check(new KindStage(KindSet.of(1), KindSet.of(62), lists::get), 62));
    }

    @Test
    void nip86AllowedKindsAddToTheConfiguredOnes() {
        KindStage s = new KindStage(KindSet.of(1), KindSet.EMPTY, lists::get);
        assertTrue(check(s, 7).startsWith("restricted:"));
        lists.set(new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of(7)));
        assertNull(check(s, 7));
        assertNull(check(s, 1));
        KindSet none = KindSet.EMPTY;
        KindStage storeOnly = new KindStage(none, none, lists::get);
        assertTrue(check(storeOnly, 1).startsWith("restricted:"), "the store's list alone restricts too");
    }
}
