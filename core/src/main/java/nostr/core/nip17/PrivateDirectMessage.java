package nostr.core.nip17;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip59.GiftWrap;
import nostr.core.nip59.Rumor;

/**
 * NIP-17 private direct messages: kind 14 chat and kind 15 file message rumors, gift wrapped
 * (NIP-59) once for every receiver and once for the sender, and the kind 10050 list of relays a
 * user receives them on. The room is the set of the sender and the {@code p}-tagged receivers.
 */
public final class PrivateDirectMessage {
    /** Chat message rumor kind. */
    public static final int CHAT_KIND = 14;
    /** File message rumor kind. */
    public static final int FILE_KIND = 15;
    /** A user's DM inbox relays. */
    public static final int INBOX_RELAYS_KIND = 10050;

    private PrivateDirectMessage() {}

    /**
     * A receiver of a message.
     *
     * @param relayHint a relay URL for the {@code p} tag, or null
     */
    public record Recipient(PublicKey pubkey, String relayHint) {
        public Recipient {
            Objects.requireNonNull(pubkey, "pubkey");
        }

        /** A receiver without relay hint. */
        public static Recipient of(PublicKey pubkey) {
            return new Recipient(pubkey, null);
        }

        List<String> pTag() {
            return relayHint == null ? List.of("p", pubkey.hex()) : List.of("p", pubkey.hex(), relayHint);
        }
    }

    /**
     * The encrypted file a kind 15 message points to (NIP-17 "File Message").
     *
     * @param url the encrypted file's URL (the content)
     * @param fileType MIME type before encryption
     * @param encryptionAlgorithm e.g. {@code aes-gcm}
     * @param decryptionKey key to decrypt the file
     * @param decryptionNonce nonce to decrypt the file
     * @param sha256 hex SHA-256 of the encrypted file ({@code x})
     * @param originalSha256 hex SHA-256 before encryption ({@code ox}), or null
     * @param size encrypted size in bytes, or null
     * @param dimensions {@code <width>x<height>}, or null
     */
    public record FileAttachment(String url, String fileType, String encryptionAlgorithm, String decryptionKey,
                                 String decryptionNonce, String sha256, String originalSha256, Long size,
                                 String dimensions) {
        public FileAttachment {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(fileType, "fileType");
            Objects.requireNonNull(encryptionAlgorithm, "encryptionAlgorithm");
            Objects.requireNonNull(decryptionKey, "decryptionKey");
            Objects.requireNonNull(decryptionNonce, "decryptionNonce");
            Hex.decode(sha256, 32, "file sha256 (x)");
            if (originalSha256 != null) {
                Hex.decode(originalSha256, 32, "original file sha256 (ox)");
            }
        }
    }

    /** One gift wrap to deliver: to {@code recipient}'s inbox relays. */
    public record Outgoing(PublicKey recipient, Event wrap) {}

    /** A received message: the authenticated sender and the rumor. */
    public record Message(PublicKey sender, Rumor rumor, Event wrap) {
        /** The room: the sender and every {@code p}-tagged pubkey, in order, without duplicates. */
        public Set<String> room() {
            Set<String> members = new LinkedHashSet<>();
            members.add(sender.hex());
            members.addAll(rumor.tagValues("p"));
            return members;
        }

        /** The {@code subject} tag, or null. */
        public String subject() {
            return rumor.tagValue("subject");
        }
    }

    /**
     * A kind 14 chat message rumor stamped now: {@code p} tags for the receivers, then
     * {@code extraTags} (e.g. {@code ["e", <parent id>, <relay>]} for a reply, {@code ["subject", ...]}).
     */
    public static Rumor chat(PublicKey sender, List<Recipient> recipients, String content, List<List<String>> extraTags) {
        requireRecipients(recipients);
        List<List<String>> tags = new ArrayList<>();
        recipients.forEach(r -> tags.add(r.pTag()));
        tags.addAll(extraTags);
        return Rumor.of(new EventTemplate(Instant.now().getEpochSecond(), CHAT_KIND, tags, content), sender.hex());
    }

    /** A kind 15 file message rumor stamped now, with the NIP-17 file tags after the {@code p} tags. */
    public static Rumor file(PublicKey sender, List<Recipient> recipients, FileAttachment file, List<List<String>> extraTags) {
        requireRecipients(recipients);
        List<List<String>> tags = new ArrayList<>();
        recipients.forEach(r -> tags.add(r.pTag()));
        tags.add(List.of("file-type", file.fileType()));
        tags.add(List.of("encryption-algorithm", file.encryptionAlgorithm()));
        tags.add(List.of("decryption-key", file.decryptionKey()));
        tags.add(List.of("decryption-nonce", file.decryptionNonce()));
        tags.add(List.of("x", file.sha256()));
        if (file.originalSha256() != null) {
            tags.add(List.of("ox", file.originalSha256()));
        }
        if (file.size() != null) {
            tags.add(List.of("size", Long.toString(file.size())));
        }
        if (file.dimensions() != null) {
            tags.add(List.of("dim", file.dimensions()));
        }
        tags.addAll(extraTags);
        return Rumor.of(new EventTemplate(Instant.now().getEpochSecond(), FILE_KIND, tags, file.url()), sender.hex());
    }

    /**
     * Seals and gift wraps {@code rumor} for every {@code p}-tagged receiver and for the sender
     * (so the sender's other devices can read it), each with its own seal, one-time key and random
     * timestamps. A receiver's relay hint from the rumor's {@code p} tag goes into its wrap's {@code p} tag.
     *
     * @throws IllegalArgumentException if the rumor is not by {@code sender}
     */
    public static List<Outgoing> wrap(Rumor rumor, SecretKey sender) {
        Map<String, String> targets = new LinkedHashMap<>();
        for (List<String> t : rumor.tags()) {
            if (t.size() >= 2 && t.get(0).equals("p")) {
                targets.putIfAbsent(t.get(1), t.size() >= 3 && !t.get(2).isEmpty() ? t.get(2) : null);
            }
        }
        targets.putIfAbsent(sender.publicKey().hex(), null);
        List<Outgoing> out = new ArrayList<>(targets.size());
        for (Map.Entry<String, String> target : targets.entrySet()) {
            PublicKey to = PublicKey.parse(target.getKey());
            Event seal = GiftWrap.seal(rumor, sender, to);
            out.add(new Outgoing(to, GiftWrap.wrap(seal, to, GiftWrap.KIND, target.getValue(), List.of())));
        }
        return out;
    }

    /**
     * Opens a received gift wrap (see {@link GiftWrap#unwrap}, which refuses impersonation).
     *
     * @throws InvalidEventException naming the problem
     */
    public static Message unwrap(Event wrap, SecretKey me) throws InvalidEventException {
        GiftWrap.Unwrapped u = GiftWrap.unwrap(wrap, me);
        return new Message(u.sender(), u.rumor(), wrap);
    }

    /** The kind 10050 template listing the relays a user receives DMs on. */
    public static EventTemplate inboxRelays(List<String> relayUrls) {
        if (relayUrls.isEmpty()) {
            throw new IllegalArgumentException("a kind 10050 inbox relay list needs at least one relay");
        }
        return EventTemplate.of(INBOX_RELAYS_KIND, "", relayUrls.stream().map(u -> List.of("relay", u)).toList());
    }

    /** The relay URLs of a kind 10050 event, in order. */
    public static List<String> inboxRelays(Event e) {
        if (e.kind() != INBOX_RELAYS_KIND) {
            throw new IllegalArgumentException("not a kind " + INBOX_RELAYS_KIND + " inbox relay list: kind " + e.kind());
        }
        return e.tagValues("relay");
    }

    private static void requireRecipients(List<Recipient> recipients) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a private direct message needs at least one receiver");
        }
    }
}
