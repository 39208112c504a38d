package org.nostr;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * {@code org.nostr.Signer.Control}: our extension next to the seed's {@link Signer} interface on the
 * same object, for the terminal approver and the CLI (pending requests, NIP-46 sessions, unlocking
 * the ncryptsec store). The seed's interface stays exactly as specified; nothing here is needed by
 * ordinary callers. Results are JSON texts; errors are the {@link Signer} error names.
 */
@DBusInterfaceName("org.nostr.Signer.Control")
public interface SignerControl extends DBusInterface {

    /** JSON array of the requests waiting for a decision. */
    String ListPendingRequests();

    /** JSON object: key store backend, lock state, identities, bunker state. */
    String Status();

    /** Unlocks the ncryptsec file store with its passphrase; false when the passphrase is wrong. */
    boolean Unlock(String passphrase);

    /** Zeroes every unlocked key now (the same as the auto-lock). */
    boolean Lock();

    /** JSON array of NIP-46 client sessions. */
    String ListSessions();

    /** Revokes the NIP-46 session of a client pubkey (hex); false when there is none. */
    boolean RevokeSession(String clientPubkey);

    /** A fresh {@code bunker://} URI with a single-use secret for an identity selector, granting NIP-46 perms. */
    String CreateBunkerUri(String identity, String perms);

    /** Accepts a {@code nostrconnect://} URI: opens the session and answers the client. */
    String AcceptNostrConnect(String uri, String identity);
}
