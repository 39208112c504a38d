package nostr.core.nip59;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;

/**
 * NIP-59 gift wrap: a {@link Rumor} (unsigned) is NIP-44 encrypted by its author to the recipient
 * inside a kind 13 seal (signed by the author, no tags), which is NIP-44 encrypted inside a kind
 * 1059 gift wrap signed by a fresh one-time key and p-tagging the recipient. Seal and wrap
 * timestamps are drawn uniformly from the two days before now, as NIP-59 and NIP-17 advise;
 * only the rumor carries the real time.
 *
 * <p>{@link #unwrap} checks the wrap's id and signature, the seal's id and signature, the rumor's
 * id, and that the seal's signer wrote the rumor, which is what stops anyone from sealing a rumor
 * in someone else's name.
 */
public final class GiftWrap {
    /** Seal kind. */
    public static final int SEAL_KIND = 13;
    /** Gift wrap kind (stored). */
    public static final int KIND = 1059;
    /** Ephemeral gift wrap kind (relays do not store it). */
    public static final int EPHEMERAL_KIND = 21059;
    /** Seal and wrap created_at lie up to this far in the past. */
    public static final long MAX_TIME_TWEAK_SECONDS = 2 * 24 * 60 * 60;

    private static final SecureRandom RANDOM = new SecureRandom();

    private GiftWrap() {}

    /** What {@link #unwrap} found: the wrap, the verified seal, and the rumor its signer wrote. */
    public record Unwrapped(Event wrap, Event seal, Rumor rumor) {
        /** The authenticated author: the seal's signer, equal to the rumor's pubkey. */
        public PublicKey sender() {
            return new PublicKey(seal.pubkey());
        }
    }

    /**
     * Seals a rumor: kind 13, no tags, content = NIP-44(rumor JSON, author to recipient), signed by the author.
     *
     * @throws IllegalArgumentException if the rumor's pubkey is not the author's
     */
    public static Event seal(Rumor rumor, SecretKey author, PublicKey recipient) {
        if (!rumor.pubkey().equals(author.publicKey().hex())) {
            throw new IllegalArgumentException("rumor pubkey must be the sealing author's pubkey");
        }
        String content = Nip44.encrypt(rumor.toJson(), Nip44.conversationKey(author, recipient));
        return new EventTemplate(randomPast(), SEAL_KIND, List.of(), content).sign(author);
    }

    /** Wraps a seal in a kind 1059 gift wrap to {@code recipient} with a fresh one-time key. */
    public static Event wrap(Event seal, PublicKey recipient) {
        return wrap(seal, recipient, KIND, null, List.of());
    }

    /**
     * Wraps a seal with a fresh one-time key.
     *
     * @param kind {@link #KIND} or {@link #EPHEMERAL_KIND}
     * @param relayHint relay URL for the {@code p} tag's third element, or null
     * @param extraTags further tags for the wrap (e.g. NIP-40 expiration), after the {@code p} tag
     */
    public static Event wrap(Event seal, PublicKey recipient, int kind, String relayHint, List<List<String>> extraTags) {
        if (kind != KIND && kind != EPHEMERAL_KIND) {
            throw new IllegalArgumentException("gift wrap kind must be " + KIND + " or " + EPHEMERAL_KIND + ", got " + kind);
        }
        if (seal.kind() != SEAL_KIND) {
            throw new IllegalArgumentException("only a kind " + SEAL_KIND + " seal can be gift wrapped, got kind " + seal.kind());
        }
        SecretKey oneTime = SecretKey.generate();
        try {
            String content = Nip44.encrypt(seal.json(), Nip44.conversationKey(oneTime, recipient));
            List<List<String>> tags = new ArrayList<>();
            tags.add(relayHint == null ? List.of("p", recipient.hex()) : List.of("p", recipient.hex(), relayHint));
            tags.addAll(extraTags);
            return new EventTemplate(randomPast(), kind, tags, content).sign(oneTime);
        } finally {
            oneTime.destroy();
        }
    }

    /** Seals and wraps in one step. */
    public static Event wrap(Rumor rumor, SecretKey author, PublicKey recipient) {
        return wrap(seal(rumor, author, recipient), recipient);
    }

    /**
     * Opens a gift wrap addressed to {@code recipient}.
     *
     * @throws InvalidEventException naming the layer and the problem: not a gift wrap, bad wrap or
     *     seal id or signature, does not decrypt, seal not kind 13, malformed or signed rumor, rumor
     *     id mismatch, or a rumor whose pubkey is not the seal's signer
     */
    public static Unwrapped unwrap(Event wrap, SecretKey recipient) throws InvalidEventException {
        if (wrap.kind() != KIND && wrap.kind() != EPHEMERAL_KIND) {
            throw new InvalidEventException("not a gift wrap: kind " + wrap.kind());
        }
        try {
            wrap.verify();
        } catch (InvalidEventException e) {
            throw new InvalidEventException("gift wrap " + e.getMessage());
        }
        String sealJson = decrypt(wrap, recipient, "gift wrap");
        Event seal;
        try {
            seal = Event.parse(sealJson);
            seal.verify();
        } catch (InvalidEventException e) {
            throw new InvalidEventException("seal " + e.getMessage());
        }
        if (seal.kind() != SEAL_KIND) {
            throw new InvalidEventException("seal must be kind " + SEAL_KIND + ", got " + seal.kind());
        }
        Rumor rumor = Rumor.parse(decrypt(seal, recipient, "seal"));
        if (!rumor.pubkey().equals(seal.pubkey())) {
            throw new InvalidEventException("rumor pubkey " + rumor.pubkey() + " is not the seal's signer "
                    + seal.pubkey() + " (impersonation attempt)");
        }
        return new Unwrapped(wrap, seal, rumor);
    }

    private static String decrypt(Event e, SecretKey recipient, String layer) throws InvalidEventException {
        try {
            return Nip44.decrypt(e.content(), Nip44.conversationKey(recipient, new PublicKey(e.pubkey())));
        } catch (IllegalArgumentException ex) {
            throw new InvalidEventException(layer + " does not decrypt: " + ex.getMessage());
        }
    }

    /** A time uniformly within the two days before now (NIP-59 "Other Considerations"). */
    static long randomPast() {
        return Instant.now().getEpochSecond() - RANDOM.nextLong(MAX_TIME_TWEAK_SECONDS + 1);
    }
}
