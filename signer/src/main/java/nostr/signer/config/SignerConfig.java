package nostr.signer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything the daemon and the CLI read from {@code signer.conf} and the environment, validated once.
 * Key names follow the gnostr signer's settings table; the ones the seed does not name are ours and
 * documented in {@code signer/README.md}.
 */
public record SignerConfig(
        Path configFile,
        Path dataDir,
        String defaultIdentity,
        Duration lockTimeout,
        boolean rememberApprovals,
        Duration approvalTtl,
        Duration approvalTimeout,
        Set<String> autoApproveKinds,
        Set<String> alwaysConfirmKinds,
        int maxPendingApprovals,
        List<String> relays,
        KeyStoreKind keyStore,
        Path passphraseFile,
        int nip49LogN,
        RateLimit signLimit,
        RateLimit keyMutationLimit,
        boolean allowKeyMutations,
        boolean bunkerEnabled,
        List<String> bunkerRelays,
        String bunkerIdentity,
        Set<String> bunkerAllowedPubkeys,
        Set<String> bunkerAllowedMethods,
        Set<String> bunkerAutoApproveKinds,
        String bunkerAuthUrl,
        int bunkerAuthMaxFailures,
        Duration bunkerAuthLockoutMax,
        Duration clientSessionTimeout) {

    /** Which key store holds the secrets. */
    public enum KeyStoreKind {
        /** Secret Service when a keyring answers on the session bus, else the ncryptsec files. */
        AUTO,
        SECRET_SERVICE,
        FILE
    }

    /**
     * Per-sender limit of one operation: a minimum gap between calls, a cap per sliding minute, and
     * a lockout once the cap is hit. {@code lockout} is the first lockout; with {@code exponential}
     * each further violation doubles it up to {@code lockoutMax}. Zero cooldown or cap disables that part.
     */
    public record RateLimit(Duration cooldown, int maxPerMinute, Duration lockout, Duration lockoutMax,
                            boolean exponential) {}

    /** NIP-46 methods the bunker knows. */
    public static final List<String> NIP46_METHODS = List.of("connect", "sign_event", "ping", "get_public_key",
            "nip04_encrypt", "nip04_decrypt", "nip44_encrypt", "nip44_decrypt", "switch_relays", "logout");

    /** The policy file (remembered decisions). */
    public Path policyFile() {
        return dataDir.resolve("policy.json");
    }

    /** NIP-46 client sessions. */
    public Path sessionsFile() {
        return dataDir.resolve("bunker-sessions.json");
    }

    /** Outstanding single-use bunker secrets (hashed). */
    public Path bunkerSecretsFile() {
        return dataDir.resolve("bunker-secrets.json");
    }

    /** Where the ncryptsec fallback store keeps one file per identity. */
    public Path keysDir() {
        return dataDir.resolve("keys");
    }
}
