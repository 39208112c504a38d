package nostr.relay.store;

import java.util.List;
import java.util.Optional;

/**
 * Membership and roles. The relay itself is the group {@link #RELAY} (NIP-43 relay membership);
 * other group ids are NIP-29-style groups. Mutations are durable on return.
 */
public interface GroupStore {

    /** The group id of relay-wide membership (NIP-43). */
    String RELAY = "";

    /** A member and the role ids assigned to it. */
    record Member(String pubkey, List<String> roles) {
        public Member {
            roles = List.copyOf(roles);
        }
    }

    /** A role definition (NIP-43 kind 33534 / NIP-86 createrole). */
    record Role(String id, String label, String description, String color, int order) {}

    /** An invite code and what it grants; {@code expiresAt} 0 for never. */
    record Invite(String code, String group, String createdBy, long expiresAt) {}

    /** Adds (or keeps) a member; returns true if it was not a member before. */
    boolean addMember(String group, String pubkey) throws StoreException;

    /** Removes a member and its role assignments; returns true if it was a member. */
    boolean removeMember(String group, String pubkey) throws StoreException;

    boolean isMember(String group, String pubkey) throws StoreException;

    List<Member> members(String group) throws StoreException;

    void putRole(String group, Role role) throws StoreException;

    void deleteRole(String group, String roleId) throws StoreException;

    List<Role> roles(String group) throws StoreException;

    void assignRole(String group, String pubkey, String roleId) throws StoreException;

    void unassignRole(String group, String pubkey, String roleId) throws StoreException;

    void createInvite(Invite invite) throws StoreException;

    /** Atomically consumes an unexpired invite (single use); empty if unknown, used or expired. */
    Optional<Invite> consumeInvite(String code, long nowSeconds) throws StoreException;

    /**
     * Consumes an invite as {@link #consumeInvite} does and makes {@code pubkey} a member of the
     * invite's group, in one transaction (NIP-43 join request): either both happen or neither.
     *
     * @return the invite, or empty (nothing changed) if it is unknown, used or expired
     */
    Optional<Invite> claimInvite(String code, String pubkey, long nowSeconds) throws StoreException;
}
