package nostr.relay.negentropy;

import nostr.core.negentropy.IdSum;
import nostr.core.negentropy.NegentropyStorage;

/**
 * A negentropy storage that can also give the raw {@link IdSum} of a range, so that storages can
 * be combined (a range of the index merged with a few extra items) and fingerprints still cost a
 * few additions instead of a pass over the range.
 */
interface SummedItems extends NegentropyStorage {

    /** The sum of the ids of the items in {@code [begin, end)}. */
    IdSum sum(int begin, int end);

    @Override
    default byte[] fingerprint(int begin, int end) {
        NegentropyStorage.checkRange(begin, end, size());
        return sum(begin, end).fingerprint(end - begin);
    }
}
