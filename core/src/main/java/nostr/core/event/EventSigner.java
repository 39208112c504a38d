package nostr.core.event;

import nostr.core.keys.SecretKey;

/**
 * Something that signs event templates as one identity: a local key, a D-Bus signer, a NIP-46
 * bunker. The relay client uses it to answer NIP-42 AUTH challenges.
 */
public interface EventSigner {

    /** The hex public key events are signed as. */
    String publicKey();

    /** Signs a template; the result carries this signer's pubkey. */
    Event sign(EventTemplate template);

    /** A signer over a local secret key (the key is used, not copied). */
    static EventSigner of(SecretKey key) {
        return new EventSigner() {
            @Override
            public String publicKey() {
                return key.publicKey().hex();
            }

            @Override
            public Event sign(EventTemplate template) {
                return template.sign(key);
            }
        };
    }
}
