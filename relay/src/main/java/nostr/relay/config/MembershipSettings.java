package nostr.relay.config;

import java.time.Duration;
import java.util.Locale;

/**
 * NIP-43 relay membership settings: who may ask the relay for an invite code (a kind 28935 REQ)
 * and how long a generated code stays valid.
 *
 * @param invites who gets a freshly generated invite claim when it asks
 * @param inviteTtl how long a generated invite code can be claimed
 */
public record MembershipSettings(InvitePolicy invites, Duration inviteTtl) {

    public MembershipSettings {
        if (invites == null) {
            throw new IllegalArgumentException("membership_invites must be set");
        }
        if (inviteTtl == null || inviteTtl.toSeconds() <= 0) {
            throw new IllegalArgumentException("invite_ttl_seconds must be positive, got "
                    + (inviteTtl == null ? "nothing" : inviteTtl.toSeconds()));
        }
    }

    /** Members ask, a day to claim. */
    public static MembershipSettings defaults() {
        return new MembershipSettings(InvitePolicy.MEMBERS, Duration.ofDays(1));
    }

    /** Who is handed an invite code (NIP-43 kind 28935) on request. */
    public enum InvitePolicy {
        /** Anyone who asks: open enrolment (membership then only records who joined). */
        ANYONE,
        /** Only connections authenticated (NIP-42) as a current member or as the relay itself. */
        MEMBERS,
        /** Nobody: members are only added by the operator. */
        NOBODY;

        /** The config spelling. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static InvitePolicy parse(String s) {
            for (InvitePolicy p : values()) {
                if (p.key().equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("membership_invites must be 'anyone', 'members' or 'nobody', got '" + s + "'");
        }
    }
}
