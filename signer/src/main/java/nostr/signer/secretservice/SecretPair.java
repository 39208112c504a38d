package nostr.signer.secretservice;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;

/** Two out arguments of a Secret Service method, e.g. {@code (item o, prompt o)} of CreateItem. */
public final class SecretPair<A, B> extends Tuple {
    @Position(0)
    public final A first;
    @Position(1)
    public final B second;

    public SecretPair(A first, B second) {
        this.first = first;
        this.second = second;
    }
}
