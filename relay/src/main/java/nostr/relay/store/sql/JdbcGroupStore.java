package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nostr.relay.store.GroupStore;
import nostr.relay.store.StoreException;

/**
 * Membership, roles and invites in plain tables ({@code V2__moderation.sql} of each adapter); the
 * same SQL runs on SQLite and PostgreSQL.
 *
 * <p>Decisions the port leaves open: assigning a role makes the pubkey a member (NIP-29
 * {@code put-user} adds a user with roles); a role id need not be defined with {@link #putRole}
 * to be assigned (NIP-29 roles are free strings); deleting a role definition also unassigns it.
 * Members come back ordered by pubkey with their role ids sorted; roles by their order, then id.
 * An invite is consumed by one conditional {@code UPDATE ... RETURNING}, so two concurrent
 * consumers never both get it.
 */
public final class JdbcGroupStore implements GroupStore {
    private final Transactions tx;

    public JdbcGroupStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean addMember(String group, String pubkey) throws StoreException {
        check(group, pubkey);
        return tx.write(c -> insertMember(c, group, pubkey));
    }

    private static boolean insertMember(Connection c, String group, String pubkey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO group_members (group_id, pubkey, added_at) "
                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, group);
            ps.setString(2, pubkey);
            ps.setLong(3, System.currentTimeMillis());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean removeMember(String group, String pubkey) throws StoreException {
        check(group, pubkey);
        return tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM group_member_roles WHERE group_id = ? AND pubkey = ?")) {
                ps.setString(1, group);
                ps.setString(2, pubkey);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM group_members WHERE group_id = ? AND pubkey = ?")) {
                ps.setString(1, group);
                ps.setString(2, pubkey);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean isMember(String group, String pubkey) throws StoreException {
        check(group, pubkey);
        return tx.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM group_members WHERE group_id = ? AND pubkey = ?")) {
                ps.setString(1, group);
                ps.setString(2, pubkey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<Member> members(String group) throws StoreException {
        Checks.text("group", group);
        return tx.read(c -> {
            Map<String, List<String>> roles = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.pubkey, r.role_id FROM group_members AS m "
                    + "LEFT JOIN group_member_roles AS r ON r.group_id = m.group_id AND r.pubkey = m.pubkey "
                    + "WHERE m.group_id = ? ORDER BY m.pubkey, r.role_id")) {
                ps.setString(1, group);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> r = roles.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                        String role = rs.getString(2);
                        if (role != null) {
                            r.add(role);
                        }
                    }
                }
            }
            List<Member> out = new ArrayList<>();
            roles.forEach((pubkey, r) -> out.add(new Member(pubkey, r)));
            return out;
        });
    }

    @Override
    public void putRole(String group, Role role) throws StoreException {
        Checks.text("group", group);
        Checks.nonEmpty("role id", role.id());
        Checks.text("role label", role.label());
        Checks.text("role description", role.description());
        Checks.text("role color", role.color());
        tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO group_roles (group_id, role_id, label, description, "
                    + "color, ord) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, role_id) DO UPDATE SET label = excluded.label, "
                    + "description = excluded.description, color = excluded.color, ord = excluded.ord")) {
                ps.setString(1, group);
                ps.setString(2, role.id());
                ps.setString(3, role.label());
                ps.setString(4, role.description());
                ps.setString(5, role.color());
                ps.setInt(6, role.order());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void deleteRole(String group, String roleId) throws StoreException {
        Checks.text("group", group);
        Checks.text("role id", roleId);
        tx.write(c -> {
            for (String table : List.of("group_member_roles", "group_roles")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE group_id = ? AND role_id = ?")) {
                    ps.setString(1, group);
                    ps.setString(2, roleId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<Role> roles(String group) throws StoreException {
        Checks.text("group", group);
        return tx.read(c -> {
            List<Role> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT role_id, label, description, color, ord FROM group_roles "
                    + "WHERE group_id = ? ORDER BY ord, role_id")) {
                ps.setString(1, group);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Role(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void assignRole(String group, String pubkey, String roleId) throws StoreException {
        check(group, pubkey);
        Checks.nonEmpty("role id", roleId);
        tx.write(c -> {
            insertMember(c, group, pubkey);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO group_member_roles (group_id, pubkey, role_id) "
                    + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, group);
                ps.setString(2, pubkey);
                ps.setString(3, roleId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void unassignRole(String group, String pubkey, String roleId) throws StoreException {
        check(group, pubkey);
        Checks.text("role id", roleId);
        tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM group_member_roles WHERE group_id = ? AND pubkey = ? "
                    + "AND role_id = ?")) {
                ps.setString(1, group);
                ps.setString(2, pubkey);
                ps.setString(3, roleId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** @throws StoreException if an invite with this code exists already */
    @Override
    public void createInvite(Invite invite) throws StoreException {
        Checks.nonEmpty("invite code", invite.code());
        Checks.text("group", invite.group());
        Checks.text("invite creator", invite.createdBy());
        if (invite.expiresAt() < 0) {
            throw new IllegalArgumentException("invite expiresAt must be 0 (never) or a unix time, got " + invite.expiresAt());
        }
        boolean created = tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO invites (code, group_id, created_by, expires_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, invite.code());
                ps.setString(2, invite.group());
                ps.setString(3, invite.createdBy());
                ps.setLong(4, invite.expiresAt());
                return ps.executeUpdate() == 1;
            }
        });
        if (!created) {
            throw new StoreException("an invite with code '" + invite.code() + "' exists already");
        }
    }

    @Override
    public Optional<Invite> consumeInvite(String code, long nowSeconds) throws StoreException {
        Checks.text("invite code", code);
        return tx.write(c -> consume(c, code, nowSeconds));
    }

    @Override
    public Optional<Invite> claimInvite(String code, String pubkey, long nowSeconds) throws StoreException {
        Checks.text("invite code", code);
        Checks.hex64("pubkey", pubkey);
        return tx.write(c -> {
            Optional<Invite> invite = consume(c, code, nowSeconds);
            if (invite.isPresent()) {
                insertMember(c, invite.get().group(), pubkey);
            }
            return invite;
        });
    }

    private static Optional<Invite> consume(Connection c, String code, long nowSeconds) throws SQLException {
        {
            try (PreparedStatement ps = c.prepareStatement("UPDATE invites SET used_at = ? WHERE code = ? AND used_at IS NULL "
                    + "AND (expires_at = 0 OR expires_at > ?) RETURNING code, group_id, created_by, expires_at")) {
                ps.setLong(1, nowSeconds);
                ps.setString(2, code);
                ps.setLong(3, nowSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Invite(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                            : Optional.empty();
                }
            }
        }
    }

    private static void check(String group, String pubkey) {
        Checks.text("group", group);
        Checks.hex64("pubkey", pubkey);
    }
}
