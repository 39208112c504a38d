package nostr.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nostr.relay.store.GroupStore.Invite;
import nostr.relay.store.GroupStore.Member;
import nostr.relay.store.GroupStore.Role;
import org.junit.jupiter.api.Test;

/**
 * NIP-43 relay membership (group "") and NIP-29-style groups: members, roles, role assignments and
 * single-use invites. Mutations are durable; consuming an invite is atomic.
 */
public abstract class GroupStoreContract extends StorageContract {
    static final String A = "aa".repeat(32);
    static final String B = "bb".repeat(32);
    static final String C = "cc".repeat(32);

    protected GroupStore groups;

    @Override
    protected void opened() {
        groups = storage.groups();
    }

    @Test
    void nip43RelayMembershipAddsOnceAndRemoves() throws Exception {
        assertTrue(groups.addMember(GroupStore.RELAY, B));
        assertFalse(groups.addMember(GroupStore.RELAY, B));
        assertTrue(groups.addMember(GroupStore.RELAY, A));
        assertTrue(groups.isMember(GroupStore.RELAY, A));
        assertFalse(groups.isMember("other", A));
        assertEquals(List.of(new Member(A, List.of()), new Member(B, List.of())), groups.members(GroupStore.RELAY));
        assertTrue(groups.removeMember(GroupStore.RELAY, A));
        assertFalse(groups.removeMember(GroupStore.RELAY, A));
        assertEquals(List.of(new Member(B, List.of())), groups.members(GroupStore.RELAY));
        assertEquals(List.of(), groups.members("other"));
    }

    @Test
    void nip29RolesAreDefinedOrderedAndAssigned() throws Exception {
        groups.putRole("g", new Role("mod", "Moderator", "keeps order", "#00ff00", 2));
        groups.putRole("g", new Role("admin", "Admin", "", "#ff0000", 1));
        groups.putRole("g", new Role("mod", "Moderator", "keeps the peace", "#00ff00", 3));
        assertEquals(List.of(new Role("admin", "Admin", "", "#ff0000", 1),
                new Role("mod", "Moderator", "keeps the peace", "#00ff00", 3)), groups.roles("g"));
        assertEquals(List.of(), groups.roles("h"));

        groups.assignRole("g", A, "mod");
        groups.assignRole("g", A, "admin");
        groups.assignRole("g", A, "admin");
        assertTrue(groups.isMember("g", A), "assigning a role makes a member");
        groups.addMember("g", B);
        assertEquals(List.of(new Member(A, List.of("admin", "mod")), new Member(B, List.of())), groups.members("g"));

        groups.unassignRole("g", A, "admin");
        assertEquals(List.of(new Member(A, List.of("mod")), new Member(B, List.of())), groups.members("g"));
        groups.deleteRole("g", "mod");
        assertEquals(List.of(new Role("admin", "Admin", "", "#ff0000", 1)), groups.roles("g"));
        assertEquals(List.of(new Member(A, List.of()), new Member(B, List.of())), groups.members("g"));

        groups.assignRole("g", B, "admin");
        assertTrue(groups.removeMember("g", B));
        assertTrue(groups.addMember("g", B));
        assertEquals(new Member(B, List.of()), groups.members("g").get(1), "removing a member drops its roles");
    }

    @Test
    void nip43InvitesAreSingleUseAndExpire() throws Exception {
        groups.createInvite(new Invite("code-1", GroupStore.RELAY, A, 0));
        groups.createInvite(new Invite("code-2", "g", A, 1000));
        StoreException dup = assertThrows(StoreException.class, () -> groups.createInvite(new Invite("code-1", "g", B, 0)));
        assertTrue(dup.getMessage().contains("code-1"), dup.getMessage());
        assertEquals(Optional.empty(), groups.consumeInvite("nope", 10));
        assertEquals(Optional.empty(), groups.consumeInvite("code-2", 1000), "expired at its expiresAt");
        assertEquals(Optional.of(new Invite("code-1", GroupStore.RELAY, A, 0)), groups.consumeInvite("code-1", Long.MAX_VALUE / 2));
        assertEquals(Optional.empty(), groups.consumeInvite("code-1", 10));
        groups.createInvite(new Invite("code-3", "g", B, 1000));
        assertEquals(Optional.of(new Invite("code-3", "g", B, 1000)), groups.consumeInvite("code-3", 999));
    }

    @Test
    void nip43ClaimInviteConsumesAndAddsTheMemberTogether() throws Exception {
        groups.createInvite(new Invite("join", GroupStore.RELAY, A, 1000));
        assertEquals(Optional.empty(), groups.claimInvite("join", B, 1000), "expired");
        assertFalse(groups.isMember(GroupStore.RELAY, B));
        assertEquals(Optional.of(new Invite("join", GroupStore.RELAY, A, 1000)), groups.claimInvite("join", B, 999));
        assertTrue(groups.isMember(GroupStore.RELAY, B));
        assertEquals(Optional.empty(), groups.claimInvite("join", C, 10), "single use");
        assertFalse(groups.isMember(GroupStore.RELAY, C));
        groups.createInvite(new Invite("to-g", "g", A, 0));
        assertEquals(Optional.of(new Invite("to-g", "g", A, 0)), groups.claimInvite("to-g", C, 10));
        assertTrue(groups.isMember("g", C));
        assertFalse(groups.isMember(GroupStore.RELAY, C), "an invite admits to its own group");
        assertThrows(IllegalArgumentException.class, () -> groups.claimInvite("x", "not hex", 10));
        closeAndReopen();
        assertTrue(groups.isMember(GroupStore.RELAY, B));
        assertEquals(Optional.empty(), groups.consumeInvite("join", 10));
    }

    @Test
    void nip43ConcurrentConsumersGetAnInviteOnce() throws Exception {
        groups.createInvite(new Invite("race", GroupStore.RELAY, A, 0));
        List<Callable<Optional<Invite>>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> groups.consumeInvite("race", 1));
        }
        int won = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Optional<Invite>> f : pool.invokeAll(tasks)) {
                if (f.get().isPresent()) {
                    won++;
                }
            }
        }
        assertEquals(1, won);
    }

    @Test
    void groupBadInputIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> groups.addMember("g", "not hex"));
        assertThrows(IllegalArgumentException.class, () -> groups.putRole("g", new Role("", "x", "", "", 0)));
        assertThrows(IllegalArgumentException.class, () -> groups.createInvite(new Invite("", "g", A, 0)));
        assertThrows(IllegalArgumentException.class, () -> groups.createInvite(new Invite("x", "g", A, -1)));
        assertEquals(List.of(), groups.members("g"));
        assertEquals(List.of(), groups.roles("g"));
    }

    @Test
    void groupsAreDurable() throws Exception {
        groups.addMember(GroupStore.RELAY, C);
        groups.putRole("g", new Role("admin", "Admin", "", "", 0));
        groups.assignRole("g", A, "admin");
        groups.createInvite(new Invite("later", "g", A, 0));
        closeAndReopen();
        assertTrue(groups.isMember(GroupStore.RELAY, C));
        assertEquals(List.of(new Member(A, List.of("admin"))), groups.members("g"));
        assertEquals(List.of(new Role("admin", "Admin", "", "", 0)), groups.roles("g"));
        assertTrue(groups.consumeInvite("later", 5).isPresent());
    }
}
