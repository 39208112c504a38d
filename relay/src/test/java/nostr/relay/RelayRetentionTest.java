package nostr.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import nostr.relay.config.PolicyConfig;
import org.junit.jupiter.api.Test;

/** Which kinds the retention job purges: kind_retention, plus MLS group events when mls_enabled. */
class RelayRetentionTest {
    @Test
    void mlsAddsKind445UnlessKindRetentionNamesIt() {
        Map<Integer, Duration> configured = Map.of(20001, Duration.ofHours(1));
        assertEquals(configured, Relay.retention(configured, new PolicyConfig.Mls(false, 60)));
        assertEquals(Map.of(20001, Duration.ofHours(1), 445, Duration.ofSeconds(60)),
                Relay.retention(configured, new PolicyConfig.Mls(true, 60)));
        Map<Integer, Duration> own = Map.of(445, Duration.ofDays(7));
        assertEquals(own, Relay.retention(own, new PolicyConfig.Mls(true, 60)), "an explicit kind_retention entry wins");
    }
}
