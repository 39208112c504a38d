package nostr.relay.admin;

import java.util.List;
import java.util.Optional;

/**
 * Every NIP-86 method this relay answers, with the parameters each takes, in the order of the
 * NIP's list. The server validates requests against it; {@code bin/parrhesia admin} uses it to
 * turn command-line words into typed JSON params (kinds and role orders are numbers).
 */
public enum ManagementMethod {
    SUPPORTED_METHODS("supportedmethods"),
    BAN_PUBKEY("banpubkey", Param.required("pubkey", ParamType.PUBKEY), Param.optional("reason", ParamType.TEXT)),
    UNBAN_PUBKEY("unbanpubkey", Param.required("pubkey", ParamType.PUBKEY), Param.optional("reason", ParamType.TEXT)),
    LIST_BANNED_PUBKEYS("listbannedpubkeys"),
    ALLOW_PUBKEY("allowpubkey", Param.required("pubkey", ParamType.PUBKEY), Param.optional("reason", ParamType.TEXT)),
    UNALLOW_PUBKEY("unallowpubkey", Param.required("pubkey", ParamType.PUBKEY), Param.optional("reason", ParamType.TEXT)),
    LIST_ALLOWED_PUBKEYS("listallowedpubkeys"),
    CREATE_ROLE("createrole", Param.required("id", ParamType.NAME), Param.optional("label", ParamType.TEXT),
            Param.optional("description", ParamType.TEXT), Param.optional("color", ParamType.TEXT),
            Param.optional("order", ParamType.INTEGER)),
    EDIT_ROLE("editrole", Param.required("id", ParamType.NAME), Param.optional("label", ParamType.TEXT),
            Param.optional("description", ParamType.TEXT), Param.optional("color", ParamType.TEXT),
            Param.optional("order", ParamType.INTEGER)),
    DELETE_ROLE("deleterole", Param.required("id", ParamType.NAME)),
    ASSIGN_ROLE("assignrole", Param.required("pubkey", ParamType.PUBKEY), Param.required("role", ParamType.NAME)),
    UNASSIGN_ROLE("unassignrole", Param.required("pubkey", ParamType.PUBKEY), Param.required("role", ParamType.NAME)),
    LIST_EVENTS_NEEDING_MODERATION("listeventsneedingmoderation"),
    ALLOW_EVENT("allowevent", Param.required("id", ParamType.EVENT_ID), Param.optional("reason", ParamType.TEXT)),
    BAN_EVENT("banevent", Param.required("id", ParamType.EVENT_ID), Param.optional("reason", ParamType.TEXT)),
    LIST_BANNED_EVENTS("listbannedevents"),
    CHANGE_RELAY_NAME("changerelayname", Param.required("name", ParamType.NAME)),
    CHANGE_RELAY_DESCRIPTION("changerelaydescription", Param.required("description", ParamType.TEXT)),
    CHANGE_RELAY_ICON("changerelayicon", Param.required("icon", ParamType.URL)),
    ALLOW_KIND("allowkind", Param.required("kind", ParamType.KIND)),
    DISALLOW_KIND("disallowkind", Param.required("kind", ParamType.KIND)),
    LIST_ALLOWED_KINDS("listallowedkinds"),
    BLOCK_IP("blockip", Param.required("ip", ParamType.IP), Param.optional("reason", ParamType.TEXT)),
    UNBLOCK_IP("unblockip", Param.required("ip", ParamType.IP)),
    LIST_BLOCKED_IPS("listblockedips");

    /** What a parameter must be. */
    public enum ParamType {
        /** 64 hex characters (a public key); uppercase is accepted and lowercased. */
        PUBKEY,
        /** 64 hex characters (an event id); uppercase is accepted and lowercased. */
        EVENT_ID,
        /** Any string (may be empty). */
        TEXT,
        /** A non-blank string. */
        NAME,
        /** An http or https URL, or "" to clear. */
        URL,
        /** An integer 0..65535. */
        KIND,
        /** An integer (JSON number). */
        INTEGER,
        /** An IPv4 or IPv6 address literal. */
        IP;

        /** True when the JSON value is a number rather than a string. */
        public boolean numeric() {
            return this == KIND || this == INTEGER;
        }
    }

    /** One parameter: its name (for messages and usage), its type, whether it may be left out. */
    public record Param(String name, ParamType type, boolean required) {
        static Param required(String name, ParamType type) {
            return new Param(name, type, true);
        }

        static Param optional(String name, ParamType type) {
            return new Param(name, type, false);
        }

        @Override
        public String toString() {
            return required ? name : name + "?";
        }
    }

    private final String wireName;
    private final List<Param> params;

    ManagementMethod(String wireName, Param... params) {
        this.wireName = wireName;
        this.params = List.of(params);
    }

    /** The method name on the wire ({@code banpubkey}). */
    public String wireName() {
        return wireName;
    }

    /** Its parameters in order. */
    public List<Param> params() {
        return params;
    }

    /** Parameters that must be given. */
    public int requiredCount() {
        return (int) params.stream().filter(Param::required).count();
    }

    /** "banpubkey [pubkey, reason?]": for usage lines and error messages. */
    public String signature() {
        return wireName + " " + params;
    }

    /** The method with this wire name, if this relay has it. */
    public static Optional<ManagementMethod> byWireName(String name) {
        for (ManagementMethod m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
