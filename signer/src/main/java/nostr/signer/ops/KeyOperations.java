package nostr.signer.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import nostr.core.event.Event;
import nostr.core.event.EventJson;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.PublicKey;
import nostr.core.nip04.Nip04;
import nostr.core.nip44.Nip44;
import nostr.signer.keys.Identity;
import nostr.signer.keys.KeyVault;

/**
 * What the signer does with a key, independent of who asks (D-Bus or NIP-46): sign event templates,
 * NIP-44 and NIP-04 encryption, and decrypting private zap content. Access control happens before
 * these are called. Conversation keys are zeroed after each use; failures are {@link SignerException}s
 * whose reason says whose fault it is (INVALID_INPUT for the caller's, CRYPTO_FAILED for a payload
 * that does not decrypt).
 */
public final class KeyOperations {
    private final KeyVault vault;

    public KeyOperations(KeyVault vault) {
        this.vault = vault;
    }

    public KeyVault vault() {
        return vault;
    }

    /** An unsigned event parsed from a caller, with the identity it will be signed as. */
    public record SignRequest(EventTemplate template, Identity identity) {}

    /**
     * Parses an event to sign and picks its identity: the selector's, or, with an empty selector and
     * a {@code pubkey} in the event, the stored identity of that pubkey; a pubkey that differs from
     * the chosen identity's is refused.
     */
    public SignRequest prepareSign(String eventJson, String selector) {
        EventTemplate.Parsed parsed;
        try {
            parsed = EventTemplate.parse(eventJson);
        } catch (InvalidEventException e) {
            throw SignerException.invalidInput("event_json: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw SignerException.invalidInput("event_json: " + e.getMessage());
        }
        Identity id;
        if ((selector == null || selector.isBlank()) && parsed.pubkey() != null) {
            id = vault.resolve(parsed.pubkey());
        } else {
            id = vault.resolve(selector);
        }
        if (parsed.pubkey() != null && !parsed.pubkey().equals(id.pubkey())) {
            throw SignerException.invalidInput("event pubkey " + parsed.pubkey() + " is not the selected identity "
                    + id.pubkey());
        }
        return new SignRequest(parsed.template(), id);
    }

    /** Signs a prepared request. */
    public Event sign(SignRequest request) {
        try {
            return vault.withKey(request.identity(), request.template()::sign);
        } catch (SignerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SignerException.internal("signing failed: " + e.getMessage());
        }
    }

    /** Parses a peer public key given as hex or npub. */
    public static PublicKey peer(String peerPubkey) {
        try {
            return PublicKey.parse(peerPubkey == null ? "" : peerPubkey);
        } catch (IllegalArgumentException e) {
            throw SignerException.invalidInput("peer_pubkey: " + e.getMessage());
        }
    }

    public String nip44Encrypt(Identity id, String plaintext, PublicKey peer) {
        if (plaintext.isEmpty()) {
            throw SignerException.invalidInput("NIP-44 cannot encrypt an empty plaintext");
        }
        return withConversationKey(id, peer, ck -> {
            try {
                return Nip44.encrypt(plaintext, ck);
            } catch (IllegalArgumentException e) {
                throw SignerException.invalidInput("plaintext: " + e.getMessage());
            }
        });
    }

    public String nip44Decrypt(Identity id, String payload, PublicKey peer) {
        return withConversationKey(id, peer, ck -> {
            try {
                return Nip44.decrypt(payload, ck);
            } catch (IllegalArgumentException e) {
                throw SignerException.cryptoFailed("NIP-44 decryption failed: " + e.getMessage());
            }
        });
    }

    /** NIP-44 of raw bytes given as base64. */
    public String nip44EncryptB64(Identity id, String plaintextB64, PublicKey peer) {
        byte[] plain;
        try {
            plain = Base64.getDecoder().decode(plaintextB64);
        } catch (IllegalArgumentException e) {
            throw SignerException.invalidInput("plaintext is not valid base64: " + e.getMessage());
        }
        if (plain.length == 0) {
            throw SignerException.invalidInput("NIP-44 cannot encrypt an empty plaintext");
        }
        try {
            return withConversationKey(id, peer, ck -> {
                try {
                    return Nip44.encryptBytes(plain, ck);
                } catch (IllegalArgumentException e) {
                    throw SignerException.invalidInput("plaintext: " + e.getMessage());
                }
            });
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** NIP-44 decryption to raw bytes, returned as base64. */
    public String nip44DecryptB64(Identity id, String payload, PublicKey peer) {
        return withConversationKey(id, peer, ck -> {
            byte[] plain;
            try {
                plain = Nip44.decryptBytes(payload, ck);
            } catch (IllegalArgumentException e) {
                throw SignerException.cryptoFailed("NIP-44 decryption failed: " + e.getMessage());
            }
            try {
                return Base64.getEncoder().encodeToString(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        });
    }

    public String nip04Encrypt(Identity id, String plaintext, PublicKey peer) {
        return vault.withKey(id, key -> {
            try {
                return Nip04.encrypt(plaintext, key, peer);
            } catch (IllegalArgumentException e) {
                throw SignerException.invalidInput("NIP-04 encryption failed: " + e.getMessage());
            }
        });
    }

    public String nip04Decrypt(Identity id, String payload, PublicKey peer) {
        return vault.withKey(id, key -> {
            try {
                return Nip04.decrypt(payload, key, peer);
            } catch (IllegalArgumentException e) {
                throw SignerException.cryptoFailed("NIP-04 decryption failed: " + e.getMessage());
            }
        });
    }

    /** Decrypts with NIP-44, and when that fails with NIP-04 (the DecryptZapEvent order). */
    public String decryptEither(Identity id, String payload, PublicKey peer) {
        try {
            return nip44Decrypt(id, payload, peer);
        } catch (SignerException nip44Failure) {
            if (nip44Failure.reason() != SignerException.Reason.CRYPTO_FAILED) {
                throw nip44Failure;
            }
            try {
                return nip04Decrypt(id, payload, peer);
            } catch (SignerException nip04Failure) {
                if (nip04Failure.reason() != SignerException.Reason.CRYPTO_FAILED) {
                    throw nip04Failure;
                }
                throw SignerException.cryptoFailed("content decrypts neither as NIP-44 (" + nip44Failure.getMessage()
                        + ") nor as NIP-04 (" + nip04Failure.getMessage() + ")");
            }
        }
    }

    /**
     * Decrypts a private zap: a kind 9734 zap request's content, or for a kind 9735 receipt with empty
     * content, the content of the zap request in its {@code description} tag. The peer is the other
     * party: the event's author, or the {@code p}-tagged recipient when we wrote it. Returns the
     * event JSON with the decrypted content in place (its id and sig no longer match; it is for display).
     */
    public String decryptZap(String eventJson, String selector) {
        Event event;
        try {
            event = Event.parse(eventJson);
        } catch (InvalidEventException e) {
            throw SignerException.invalidInput("event_json: " + e.getMessage());
        }
        Identity id = vault.resolve(selector);
        if (event.kind() == 9735 && event.content().isEmpty()) {
            String description = event.tagValue("description");
            if (description == null || description.isEmpty()) {
                throw SignerException.invalidInput("zap receipt has no content and no description zap request");
            }
            String inner = decryptZap(description, id);
            List<List<String>> tags = new ArrayList<>();
            for (List<String> t : event.tags()) {
                if (t.size() >= 2 && t.get(0).equals("description")) {
                    List<String> copy = new ArrayList<>(t);
                    copy.set(1, inner);
                    tags.add(copy);
                } else {
                    tags.add(t);
                }
            }
            return EventJson.write(event.id(), event.pubkey(), event.createdAt(), event.kind(), tags, event.content(),
                    event.sig());
        }
        return decryptZap(eventJson, id);
    }

    private String decryptZap(String eventJson, Identity id) {
        Event event;
        try {
            event = Event.parse(eventJson);
        } catch (InvalidEventException e) {
            throw SignerException.invalidInput("zap event: " + e.getMessage());
        }
        if (event.content().isEmpty()) {
            throw SignerException.invalidInput("zap event has no content to decrypt");
        }
        String peerHex = event.pubkey();
        if (peerHex.equals(id.pubkey())) {
            peerHex = event.tagValue("p");
            if (peerHex == null) {
                throw SignerException.invalidInput("zap event written by us has no p tag naming the other party");
            }
        }
        String plain = decryptEither(id, event.content(), peer(peerHex));
        return EventJson.write(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), plain,
                event.sig());
    }

    private <T> T withConversationKey(Identity id, PublicKey peer, java.util.function.Function<byte[], T> use) {
        return vault.withKey(id, key -> {
            byte[] ck;
            try {
                ck = Nip44.conversationKey(key, peer);
            } catch (IllegalArgumentException e) {
                throw SignerException.invalidInput("peer_pubkey: " + e.getMessage());
            }
            try {
                return use.apply(ck);
            } finally {
                Arrays.fill(ck, (byte) 0);
            }
        });
    }
}
