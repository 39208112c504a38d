package nostr.core.client;

import java.util.List;

/**
 * The outcome of a NIP-77 negentropy reconciliation with one relay ({@link RelayClient#reconcile}).
 *
 * @param relayUrl the relay
 * @param have ids (lowercase hex) of events the local set has and the relay lacks, in the local
 *     set's order: upload them with EVENT
 * @param need ids of events the relay has and the local set lacks, in the order the relay listed
 *     them: fetch them with REQ
 * @param rounds NEG-MSG round trips, NEG-OPEN included
 * @param bytesSent negentropy bytes sent (before hex encoding)
 * @param bytesReceived negentropy bytes received (before hex encoding)
 */
public record ReconcileResult(String relayUrl, List<String> have, List<String> need, int rounds, long bytesSent,
                              long bytesReceived) {
    public ReconcileResult {
        have = List.copyOf(have);
        need = List.copyOf(need);
    }
}
