package nostr.relay.admin;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import nostr.core.Hex;
import nostr.core.json.Json;
import nostr.relay.admin.ManagementMethod.Param;
import nostr.relay.admin.ManagementRequest.Value;
import nostr.relay.edge.IpBlocklist;
import nostr.relay.store.AdminStore;
import nostr.relay.store.GroupStore;
import nostr.relay.store.Listed;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NIP-86 methods over the storage port, for an already authorized admin: checks each call's
 * params against {@link ManagementMethod}, runs it on the store (durable on return), then tells
 * the running relay so the change applies at once ({@link LiveEffects}). Transport-free: the HTTP
 * endpoint hands it parsed requests, tests can call it directly.
 *
 * <p>Roles are those of the relay itself ({@link GroupStore#RELAY}). Decisions the NIP leaves open:
 * {@code supportedmethods} lists every method but itself ("all the other supported methods");
 * removing something absent succeeds (as the store does); {@code createrole} refuses an existing id
 * and {@code editrole} an unknown one, and {@code editrole} keeps the fields it is not given;
 * {@code assignrole} needs the role to exist and makes a non-member a member of the relay (NIP-43:
 * the relay announces it); role changes make the relay publish a new NIP-43 membership list;
 * {@code changerelayname} refuses a blank name and
 * {@code changerelayicon} anything but an http(s) URL or "" (which clears the icon).
 */
public final class ManagementApi {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);

    /** What the running relay does after a change, so that it takes effect without a restart. */
    public interface LiveEffects {
        /** Bans, allowlists, allowed kinds or blocked IPs changed in the store: reload them now. */
        void moderationChanged();

        /** Relay name, description or icon changed in the store: the NIP-11 document must follow. */
        void settingsChanged();

        /** An IP address was blocked: close its open connections. */
        void ipBlocked(InetAddress address);

        /**
         * NIP-43: {@code pubkey} became a member of the relay through a role assignment; the relay
         * announces it (kind 8000 and a new kind 13534 membership list).
         */
        void memberAdded(String pubkey, List<String> roles);

        /** NIP-43: the roles of members changed; the relay publishes a new membership list if it differs. */
        void rolesChanged();

        /** Effects for a store nobody serves (tests of the API alone). */
        static LiveEffects none() {
            return new LiveEffects() {
                @Override
                public void moderationChanged() {}

                @Override
                public void settingsChanged() {}

                @Override
                public void ipBlocked(InetAddress address) {}

                @Override
                public void memberAdded(String pubkey, List<String> roles) {}

                @Override
                public void rolesChanged() {}
            };
        }
    }

    /**
     * A reply: HTTP status and JSON body, {@code {"result": ...}} or {@code {"result": null, "error": "..."}}.
     */
    public record Reply(int status, String json) {
        static Reply result(String resultJson) {
            return new Reply(200, "{\"result\":" + resultJson + "}");
        }

        static Reply error(int status, String message) {
            return new Reply(status, "{\"result\":null,\"error\":" + Json.quote(message) + "}");
        }
    }

    private final Storage storage;
    private final LiveEffects effects;

    public ManagementApi(Storage storage, LiveEffects effects) {
        this.storage = storage;
        this.effects = effects;
    }

    /**
     * Runs one request for {@code admin} (its pubkey, for the audit log line).
     *
     * @return 200 with the result; 400 for an unknown method or bad params; 500 when the store failed
     */
    public Reply call(ManagementRequest request, String admin) {
        Optional<ManagementMethod> found = ManagementMethod.byWireName(request.method());
        if (found.isEmpty()) {
            return Reply.error(400, "unknown method '" + request.method() + "'; supportedmethods lists the methods of this relay");
        }
        ManagementMethod method = found.get();
        Args args;
        try {
            args = Args.check(method, request.params());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        try {
            String result = run(method, args);
            LOG.info("nip86 {} by {}: {}", method.wireName(), admin, args.forLog());
            return Reply.result(result);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, method.wireName() + ": " + e.getMessage());
        } catch (StoreException e) {
            LOG.warn("nip86 {} by {} failed in the store: {}", method.wireName(), admin, e.getMessage());
            return Reply.error(500, "error: the store failed, nothing was changed: " + e.getMessage());
        }
    }

    private String run(ManagementMethod method, Args a) throws StoreException {
        var moderation = storage.moderation();
        var admin = storage.admin();
        var groups = storage.groups();
        return switch (method) {
            case SUPPORTED_METHODS -> {
                List<String> names = new ArrayList<>();
                for (ManagementMethod m : ManagementMethod.values()) {
                    if (m != ManagementMethod.SUPPORTED_METHODS) {
                        names.add(Json.quote(m.wireName()));
                    }
                }
                yield "[" + String.join(",", names) + "]";
            }
            case BAN_PUBKEY -> moderated(() -> moderation.banPubkey(a.hex(0), a.text(1)));
            case UNBAN_PUBKEY -> moderated(() -> moderation.unbanPubkey(a.hex(0)));
            case LIST_BANNED_PUBKEYS -> listed(moderation.bannedPubkeys(), "pubkey");
            case ALLOW_PUBKEY -> moderated(() -> moderation.allowPubkey(a.hex(0), a.text(1)));
            case UNALLOW_PUBKEY -> moderated(() -> moderation.unallowPubkey(a.hex(0)));
            case LIST_ALLOWED_PUBKEYS -> listed(moderation.allowedPubkeys(), "pubkey");
            case CREATE_ROLE -> {
                String id = a.text(0);
                if (role(id).isPresent()) {
                    throw new IllegalArgumentException("role '" + id + "' exists already; change it with editrole");
                }
                groups.putRole(GroupStore.RELAY, new GroupStore.Role(id, a.text(1), a.text(2), a.text(3), a.integer(4, 0)));
                effects.rolesChanged();
                yield "true";
            }
            case EDIT_ROLE -> {
                String id = a.text(0);
                GroupStore.Role old = role(id).orElseThrow(
                        () -> new IllegalArgumentException("no role '" + id + "'; create it with createrole"));
                groups.putRole(GroupStore.RELAY, new GroupStore.Role(id,
                        a.given(1) ? a.text(1) : old.label(), a.given(2) ? a.text(2) : old.description(),
                        a.given(3) ? a.text(3) : old.color(), a.given(4) ? a.integer(4, 0) : old.order()));
                effects.rolesChanged();
                yield "true";
            }
            case DELETE_ROLE -> {
                groups.deleteRole(GroupStore.RELAY, a.text(0));
                effects.rolesChanged();
                yield "true";
            }
            case ASSIGN_ROLE -> {
                String roleId = a.text(1);
                if (role(roleId).isEmpty()) {
                    throw new IllegalArgumentException("no role '" + roleId + "'; create it with createrole");
                }
                boolean wasMember = groups.isMember(GroupStore.RELAY, a.hex(0));
                groups.assignRole(GroupStore.RELAY, a.hex(0), roleId);
                if (wasMember) {
                    effects.rolesChanged();
                } else {
                    effects.memberAdded(a.hex(0), List.of(roleId));
                }
                yield "true";
            }
            case UNASSIGN_ROLE -> {
                groups.unassignRole(GroupStore.RELAY, a.hex(0), a.text(1));
                effects.rolesChanged();
                yield "true";
            }
            case LIST_EVENTS_NEEDING_MODERATION -> listed(admin.eventsNeedingModeration(), "id");
            case ALLOW_EVENT -> moderated(() -> moderation.allowEvent(a.hex(0), a.text(1)));
            case BAN_EVENT -> moderated(() -> moderation.banEvent(a.hex(0), a.text(1)));
            case LIST_BANNED_EVENTS -> listed(moderation.bannedEvents(), "id");
            case CHANGE_RELAY_NAME -> setting(AdminStore.NAME, a.text(0));
            case CHANGE_RELAY_DESCRIPTION -> setting(AdminStore.DESCRIPTION, a.text(0));
            case CHANGE_RELAY_ICON -> setting(AdminStore.ICON, a.text(0));
            case ALLOW_KIND -> moderated(() -> moderation.allowKind(a.integer(0, 0)));
            case DISALLOW_KIND -> moderated(() -> moderation.disallowKind(a.integer(0, 0)));
            case LIST_ALLOWED_KINDS -> {
                StringBuilder sb = new StringBuilder("[");
                for (int kind : moderation.allowedKinds()) {
                    sb.append(sb.length() > 1 ? "," : "").append(kind);
                }
                yield sb.append(']').toString();
            }
            case BLOCK_IP -> {
                InetAddress ip = a.ip(0);
                moderated(() -> moderation.blockIp(IpBlocklist.canonical(ip), a.text(1)));
                effects.ipBlocked(ip);
                yield "true";
            }
            case UNBLOCK_IP -> moderated(() -> moderation.unblockIp(IpBlocklist.canonical(a.ip(0))));
            case LIST_BLOCKED_IPS -> listed(moderation.blockedIps(), "ip");
        };
    }

    private Optional<GroupStore.Role> role(String id) throws StoreException {
        return storage.groups().roles(GroupStore.RELAY).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** A store mutation of the moderation lists, then the live reload. */
    private String moderated(StoreAction action) throws StoreException {
        action.run();
        effects.moderationChanged();
        return "true";
    }

    private String setting(String key, String value) throws StoreException {
        storage.admin().putSetting(key, value);
        effects.settingsChanged();
        return "true";
    }

    /** [{"pubkey": ..., "reason": ...}, ...] (the NIP's list shape; reason always present, "" when none). */
    private static String listed(List<Listed> entries, String valueName) {
        StringBuilder sb = new StringBuilder("[");
        for (Listed l : entries) {
            sb.append(sb.length() > 1 ? "," : "").append("{\"").append(valueName).append("\":");
            Json.appendQuoted(sb, l.value());
            sb.append(",\"reason\":");
            Json.appendQuoted(sb, l.reason() == null ? "" : l.reason());
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    /** An absolute http or https URL with a host. */
    static boolean isHttpUrl(String s) {
        try {
            java.net.URI u = new java.net.URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface StoreAction {
        void run() throws StoreException;
    }

    /** A request's params, checked against the method's list; accessors by position. */
    private record Args(ManagementMethod method, List<Value> values) {

        static Args check(ManagementMethod m, List<Value> params) {
            List<Param> spec = m.params();
            if (params.size() > spec.size()) {
                throw new IllegalArgumentException(m.wireName() + " takes at most " + spec.size() + " params "
                        + spec + ", got " + params.size());
            }
            List<Value> checked = new ArrayList<>();
            for (int i = 0; i < spec.size(); i++) {
                Param p = spec.get(i);
                Value v = i < params.size() ? params.get(i) : new Value.Null();
                if (v instanceof Value.Null) {
                    if (p.required()) {
                        throw new IllegalArgumentException(m.wireName() + " needs params " + spec + "; "
                                + p.name() + " is missing");
                    }
                    checked.add(v);
                    continue;
                }
                checked.add(checkOne(m, i, p, v));
            }
            return new Args(m, checked);
        }

        private static Value checkOne(ManagementMethod m, int i, Param p, Value v) {
            String where = m.wireName() + " params[" + i + "] (" + p.name() + ")";
            if (p.type().numeric()) {
                if (!(v instanceof Value.Integer n)) {
                    throw new IllegalArgumentException(where + " must be an integer, got " + v.describe());
                }
                if (p.type() == ManagementMethod.ParamType.KIND && (n.value() < 0 || n.value() > 65535)) {
                    throw new IllegalArgumentException(where + " must be a kind 0..65535, got " + n.value());
                }
                if (n.value() < Integer.MIN_VALUE || n.value() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(where + " is out of range: " + n.value());
                }
                return v;
            }
            if (!(v instanceof Value.Text t)) {
                throw new IllegalArgumentException(where + " must be a string, got " + v.describe());
            }
            String s = t.value();
            if (s.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException(where + " must not contain NUL characters");
            }
            return switch (p.type()) {
                case PUBKEY, EVENT_ID -> {
                    String lower = s.toLowerCase(Locale.ROOT);
                    if (!Hex.isLowerHex(lower, 64)) {
                        throw new IllegalArgumentException(where + " must be 64 hex characters, got '" + clip(s) + "'");
                    }
                    yield new Value.Text(lower);
                }
                case NAME -> {
                    if (s.isBlank()) {
                        throw new IllegalArgumentException(where + " must not be blank");
                    }
                    yield v;
                }
                case URL -> {
                    if (!s.isEmpty() && !isHttpUrl(s)) {
                        throw new IllegalArgumentException(where + " must be an http(s) URL or \"\", got '" + clip(s) + "'");
                    }
                    yield v;
                }
                case IP -> {
                    if (IpBlocklist.parse(s).isEmpty()) {
                        throw new IllegalArgumentException(where + " must be an IPv4 or IPv6 address, got '" + clip(s) + "'");
                    }
                    yield v;
                }
                case TEXT -> v;
                case KIND, INTEGER -> throw new IllegalStateException("numeric types are checked above");
            };
        }

        boolean given(int i) {
            return !(values.get(i) instanceof Value.Null);
        }

        /** A string param ("" when an optional one was not given). */
        String text(int i) {
            return values.get(i) instanceof Value.Text t ? t.value() : "";
        }

        String hex(int i) {
            return text(i);
        }

        int integer(int i, int dflt) {
            return values.get(i) instanceof Value.Integer n ? (int) n.value() : dflt;
        }

        InetAddress ip(int i) {
            return IpBlocklist.parse(text(i)).orElseThrow();
        }

        String forLog() {
            List<String> out = new ArrayList<>();
            for (Value v : values) {
                out.add(switch (v) {
                    case Value.Text t -> Json.quote(clip(t.value()));
                    case Value.Integer n -> Long.toString(n.value());
                    default -> "null";
                });
            }
            return out.toString();
        }

        private static String clip(String s) {
            return s.length() > 100 ? s.substring(0, 100) + "..." : s;
        }
    }
}
