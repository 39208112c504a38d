package nostr.relay.membership;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.relay.config.MembershipSettings;
import nostr.relay.identity.RelayIdentity;
import nostr.relay.ingest.GroupCommitWriter;
import nostr.relay.ingest.KindRules;
import nostr.relay.ingest.OkSink;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.store.EventStore;
import nostr.relay.store.GroupStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.store.WriteStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-43 relay membership: who is a member (the {@link GroupStore#RELAY} group, durable in the
 * store, read by {@code access_mode = members}), how one joins and leaves, and the events the relay
 * signs with its own key ({@link RelayIdentity}, NIP-11 {@code self}) to say so.
 *
 * <ul>
 *   <li><b>Join</b> (kind 28934, a {@code claim} tag with an invite code, created_at within
 *       {@value #REQUEST_WINDOW_SECONDS} s of now): the code is consumed and the author made a
 *       member in one transaction ({@link GroupStore#claimInvite}); answered {@code OK true "info:
 *       welcome to <relay_url>!"}, {@code OK true "duplicate: you are already a member ..."}
 *       (the code is kept), or {@code OK false "restricted: that invite code is invalid, used or
 *       expired"}. Never stored or broadcast (it carries the code).
 *   <li><b>Leave</b> (kind 28936 with a NIP-70 {@code -} tag, so the connection must have
 *       authenticated as its author; created_at as for join): the author
 *       stops being a member ({@code OK true "info: ..."}, or {@code "duplicate: ..."} for a
 *       non-member). Never stored or broadcast.
 *   <li><b>Invites</b> (kind 28935): a REQ whose filter asks for kind 28935 gets, before its EOSE,
 *       a claim generated for it (a fresh single-use code, valid {@code invite_ttl_seconds}),
 *       relay-signed with a {@code -} tag, a {@code claim} tag and an {@code expiration} tag;
 *       never stored. Who is given one is {@code membership_invites}: {@code anyone},
 *       {@code members} (connections authenticated, NIP-42, as a member or as the relay) or
 *       {@code nobody}. A refused REQ is CLOSED
 *       ({@code auth-required:} or {@code restricted:}). Kind 28935 sent as an EVENT is refused.
 *   <li><b>Operator changes</b>: kind 8000 (add: each {@code p} tag, further values of the tag are
 *       role ids to assign), kind 8001 (remove) and kind 33534 (a role definition) signed with the
 *       relay's own key are applied to the store and then stored and broadcast like any event, so
 *       the operator administers membership by signing events with {@code relay.key}. The Java API
 *       ({@link #add}, {@link #remove}, {@link #invite}) does the same from inside the process.
 *   <li><b>Published by the relay</b>: after every change the relay signs and stores a new kind
 *       13534 membership list ({@code member} tags with role ids) and, for joins and removals, a kind
 *       8000 or 8001 event, all with a {@code -} tag. Kinds 13534, 8000, 8001, 33534 and 28935 by
 *       any other key are refused {@code restricted:}, and 13534 even from the relay's key (the relay
 *       keeps that list itself).
 * </ul>
 *
 * <p>Changes run one at a time on a thread of their own, so membership lists come out in the order
 * of the changes; each list is created at least one second after the previous one (replaceable
 * events with equal created_at would be decided by id, not by age). Store changes are committed
 * before the relay answers or publishes; if the relay stops between a change and its list, the
 * list is brought up to date at the next start ({@link #reconcile}).
 */
public final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** NIP-43 role definition (addressable, relay-signed). */
    public static final int ROLE = 33534;
    /** NIP-43 membership list (replaceable, relay-signed). */
    public static final int LIST = 13534;
    /** NIP-43 member added (relay-signed). */
    public static final int ADD = 8000;
    /** NIP-43 member removed (relay-signed). */
    public static final int REMOVE = 8001;
    /** NIP-43 join request (ephemeral, by the user). */
    public static final int JOIN = 28934;
    /** NIP-43 invite claim (ephemeral, relay-signed, generated on request). */
    public static final int INVITE = 28935;
    /** NIP-43 leave request (ephemeral, by the user). */
    public static final int LEAVE = 28936;
    /** How far a join or leave request's created_at may lie from now ("now, plus or minus a few minutes"). */
    public static final long REQUEST_WINDOW_SECONDS = 300;

    /** Stores and broadcasts a relay-signed event (the writer). */
    @FunctionalInterface
    public interface Publisher {
        void publish(Event event, GroupCommitWriter.Completion completion) throws InterruptedException;
    }

    /** What a REQ asking for invite claims gets. */
    public sealed interface InviteAnswer {
        /** A claim generated for this REQ. */
        record Generated(Event claim) implements InviteAnswer {}

        /** The REQ is CLOSED with this message. */
        record Refused(String message) implements InviteAnswer {}
    }

    private final GroupStore groups;
    private final EventStore events;
    private final RelayIdentity identity;
    private final MembershipSettings settings;
    private final Supplier<String> relayUrl;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final Publisher publisher;
    private final Runnable changed;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("membership").factory());
    /** created_at of the latest membership list; only touched on the serial thread. */
    private long lastListAt;

    /**
     * @param relayUrl the relay's public URL (for the welcome message)
     * @param publisher where relay-signed events go to be stored and broadcast
     * @param changed told after every change of the relay's members (the access policy reloads them)
     */
    public Membership(GroupStore groups, EventStore events, RelayIdentity identity, MembershipSettings settings,
                      Supplier<String> relayUrl, Clock clock, RelayMetrics metrics, Publisher publisher,
                      Runnable changed) {
        this.groups = groups;
        this.events = events;
        this.identity = identity;
        this.settings = settings;
        this.relayUrl = relayUrl;
        this.clock = clock;
        this.metrics = metrics;
        this.publisher = publisher;
        this.changed = changed;
    }

    /** Adds the checks and handlers of the NIP-43 kinds to ingest's rules. */
    public KindRules register(KindRules rules) {
        rules.check(JOIN, this::checkJoin)
                .check(LEAVE, this::checkLeave)
                .check(INVITE, (e, now) -> "restricted: kind 28935 invite claims are generated by this relay; send a REQ for "
                        + "kind 28935 to get one (NIP-43)")
                .check(LIST, (e, now) -> e.pubkey().equals(identity.pubkey())
                        ? "invalid: this relay keeps its kind 13534 membership list itself; publish kind 8000 or 8001 to change it"
                        : notSelf(e))
                .check(ADD, this::checkAddOrRemove)
                .check(REMOVE, this::checkAddOrRemove)
                .check(ROLE, this::checkRole);
        rules.handle(JOIN, (e, sink, proceed) -> serially(e, sink, () -> join(e, sink)))
                .handle(LEAVE, (e, sink, proceed) -> serially(e, sink, () -> leave(e, sink)))
                .handle(ADD, (e, sink, proceed) -> serially(e, sink, () -> applyAdd(e, sink, proceed)))
                .handle(REMOVE, (e, sink, proceed) -> serially(e, sink, () -> applyRemove(e, sink, proceed)))
                .handle(ROLE, (e, sink, proceed) -> serially(e, sink, () -> applyRole(e, sink, proceed)));
        return rules;
    }

    // ---- checks before verification -----------------------------------------------------------

    private String checkJoin(Event e, long now) {
        String code = e.tagValue("claim");
        if (code == null || code.isBlank()) {
            return "invalid: a join request (kind 28934) needs a claim tag with an invite code (NIP-43)";
        }
        return window(e, now, "join request");
    }

    private String checkLeave(Event e, long now) {
        if (!e.isProtected()) {
            return "invalid: a leave request (kind 28936) must carry a NIP-70 \"-\" tag (NIP-43)";
        }
        return window(e, now, "leave request");
    }

    private static String window(Event e, long now, String what) {
        long off = e.createdAt() - now;
        if (Math.abs(off) > REQUEST_WINDOW_SECONDS) {
            return "invalid: a " + what + "'s created_at must be within " + REQUEST_WINDOW_SECONDS
                    + " seconds of now (NIP-43); it is " + Math.abs(off) + " seconds " + (off < 0 ? "old" : "ahead");
        }
        return null;
    }

    private String notSelf(Event e) {
        return "restricted: kind " + e.kind() + " is published by this relay's own key (NIP-43, NIP-11 self "
                + identity.pubkey() + ")";
    }

    private String checkAddOrRemove(Event e, long now) {
        if (!e.pubkey().equals(identity.pubkey())) {
            return notSelf(e);
        }
        List<String> targets = e.tagValues("p");
        if (targets.isEmpty()) {
            return "invalid: kind " + e.kind() + " needs a p tag with the member's pubkey (NIP-43)";
        }
        for (String p : targets) {
            if (!Hex.isLowerHex(p, 64)) {
                return "invalid: p tag value '" + shorten(p) + "' is not a pubkey (64 lowercase hex)";
            }
        }
        return e.isProtected() ? null : "invalid: kind " + e.kind() + " must carry a NIP-70 \"-\" tag (NIP-43)";
    }

    private String checkRole(Event e, long now) {
        if (!e.pubkey().equals(identity.pubkey())) {
            return notSelf(e);
        }
        String d = e.dTag();
        if (d == null || d.isEmpty()) {
            return "invalid: a role definition (kind 33534) needs a d tag with the role id (NIP-43)";
        }
        String color = e.tagValue("color");
        if (color != null && !isIntegerIn(color, 0, 360)) {
            return "invalid: role color must be a hue from 0 to 360, got '" + shorten(color) + "'";
        }
        String order = e.tagValue("order");
        if (order != null && !isIntegerIn(order, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            return "invalid: role order must be an integer, got '" + shorten(order) + "'";
        }
        return e.isProtected() ? null : "invalid: a role definition (kind 33534) must carry a NIP-70 \"-\" tag (NIP-43)";
    }

    // ---- handlers after verification (on the serial thread) -----------------------------------

    /** Work that answers {@code sink} itself; a failure of the store answers {@code error:}. */
    @FunctionalInterface
    private interface Change {
        void run() throws StoreException, InterruptedException;
    }

    private void serially(Event e, OkSink sink, Change change) {
        try {
            serial.execute(() -> {
                try {
                    change.run();
                } catch (StoreException ex) {
                    LOG.warn("membership change for event {} failed: {}", e.id(), ex.getMessage());
                    sink.ok(e.id(), false, "error: could not update the membership, the database is unavailable; try again later");
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    sink.ok(e.id(), false, "error: the relay is shutting down");
                } catch (RuntimeException ex) {
                    LOG.error("membership change for event {} failed", e.id(), ex);
                    sink.ok(e.id(), false, "error: the membership change failed inside the relay");
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            sink.ok(e.id(), false, "error: the relay is shutting down");
        }
    }

    private void join(Event e, OkSink sink) throws StoreException, InterruptedException {
        if (groups.isMember(GroupStore.RELAY, e.pubkey())) {
            sink.ok(e.id(), true, "duplicate: you are already a member of this relay");
            return;
        }
        Optional<GroupStore.Invite> invite = groups.claimInvite(e.tagValue("claim").strip(), e.pubkey(), now());
        if (invite.isEmpty()) {
            sink.ok(e.id(), false, "restricted: that invite code is invalid, used or expired");
            return;
        }
        if (!invite.get().group().equals(GroupStore.RELAY)) {
            sink.ok(e.id(), true, "info: you joined group '" + invite.get().group() + "'");
            return;
        }
        metrics.membershipChanged("join");
        changed.run();
        sink.ok(e.id(), true, "info: welcome to " + relayUrl.get() + "!");
        publishChange(ADD, e.pubkey());
        publishList();
    }

    private void leave(Event e, OkSink sink) throws StoreException, InterruptedException {
        if (!groups.removeMember(GroupStore.RELAY, e.pubkey())) {
            sink.ok(e.id(), true, "duplicate: you are not a member of this relay");
            return;
        }
        metrics.membershipChanged("leave");
        changed.run();
        sink.ok(e.id(), true, "info: you are no longer a member of " + relayUrl.get());
        publishChange(REMOVE, e.pubkey());
        publishList();
    }

    private void applyAdd(Event e, OkSink sink, Runnable proceed) throws StoreException, InterruptedException {
        for (List<String> tag : e.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals("p")) {
                addMember(tag.get(1), tag.subList(2, tag.size()));
            }
        }
        changed.run();
        proceed.run();
        publishList();
    }

    private void applyRemove(Event e, OkSink sink, Runnable proceed) throws StoreException, InterruptedException {
        for (String p : e.tagValues("p")) {
            if (groups.removeMember(GroupStore.RELAY, p)) {
                metrics.membershipChanged("remove");
            }
        }
        changed.run();
        proceed.run();
        publishList();
    }

    private void applyRole(Event e, OkSink sink, Runnable proceed) throws StoreException, InterruptedException {
        String color = e.tagValue("color");
        String order = e.tagValue("order");
        groups.putRole(GroupStore.RELAY, new GroupStore.Role(e.dTag(), orEmpty(e.tagValue("label")),
                orEmpty(e.tagValue("description")), orEmpty(color), order == null ? 0 : Integer.parseInt(order.strip())));
        proceed.run();
    }

    private void addMember(String pubkey, List<String> roles) throws StoreException {
        if (groups.addMember(GroupStore.RELAY, pubkey)) {
            metrics.membershipChanged("add");
        }
        for (String role : roles) {
            if (!role.isBlank()) {
                groups.assignRole(GroupStore.RELAY, pubkey, role);
            }
        }
    }

    // ---- the operator's Java API --------------------------------------------------------------

    /**
     * Makes {@code pubkey} a member with these roles (kept if it is one), publishing a kind 8000 and
     * a new membership list.
     *
     * @return true if it was not a member before
     */
    public boolean add(String pubkey, List<String> roles) throws StoreException, InterruptedException {
        if (!Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + shorten(pubkey) + "'");
        }
        return onSerial(() -> {
            boolean added = !groups.isMember(GroupStore.RELAY, pubkey);
            addMember(pubkey, roles);
            changed.run();
            publishChange(ADD, pubkey);
            publishList();
            return added;
        });
    }

    /** Ends a membership, publishing a kind 8001 and a new list; false if it was no member. */
    public boolean remove(String pubkey) throws StoreException, InterruptedException {
        if (!Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + shorten(pubkey) + "'");
        }
        return onSerial(() -> {
            if (!groups.removeMember(GroupStore.RELAY, pubkey)) {
                return false;
            }
            metrics.membershipChanged("remove");
            changed.run();
            publishChange(REMOVE, pubkey);
            publishList();
            return true;
        });
    }

    /** Creates a single-use relay invite code valid for {@code ttl} and returns it. */
    public String invite(Duration ttl) throws StoreException {
        String code = newCode();
        groups.createInvite(new GroupStore.Invite(code, GroupStore.RELAY, identity.pubkey(), now() + ttl.toSeconds()));
        metrics.inviteIssued();
        return code;
    }

    private <T> T onSerial(Callable<T> work) throws StoreException, InterruptedException {
        Future<T> f = serial.submit(work);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- invite claims for REQ ----------------------------------------------------------------

    /**
     * The answer to a REQ's filters as far as invite claims go: null when no filter asks for kind
     * 28935 (or none would match the claim), a {@link InviteAnswer.Generated} claim to send before
     * EOSE, or {@link InviteAnswer.Refused} when this connection may not have one.
     *
     * @param authenticated pubkeys the connection authenticated as (NIP-42); empty if none
     */
    public InviteAnswer invitesFor(List<Filter> filters, Set<String> authenticated) throws StoreException {
        List<Filter> asking = new ArrayList<>();
        for (Filter f : filters) {
            if (f.kinds() != null && f.kinds().contains(INVITE) && (f.limit() == null || f.limit() > 0)) {
                asking.add(f);
            }
        }
        if (asking.isEmpty()) {
            return null;
        }
        String refusal = inviteRefusal(authenticated);
        if (refusal != null) {
            return new InviteAnswer.Refused(refusal);
        }
        long now = now();
        long expires = now + settings.inviteTtl().toSeconds();
        String code = newCode();
        Event claim = identity.sign(new EventTemplate(now, INVITE, List.of(List.of("-"), List.of("claim", code),
                List.of("expiration", Long.toString(expires))), ""));
        if (asking.stream().noneMatch(f -> f.matches(claim))) {
            return null;
        }
        String creator = authenticated.isEmpty() ? identity.pubkey() : authenticated.iterator().next();
        groups.createInvite(new GroupStore.Invite(code, GroupStore.RELAY, creator, expires));
        metrics.inviteIssued();
        return new InviteAnswer.Generated(claim);
    }

    private String inviteRefusal(Set<String> authenticated) throws StoreException {
        switch (settings.invites()) {
            case ANYONE -> {
                return null;
            }
            case NOBODY -> {
                return "restricted: this relay does not hand out invite codes; ask its operator";
            }
            case MEMBERS -> {
                if (authenticated.isEmpty()) {
                    return "auth-required: invite codes are given to members of this relay; authenticate (NIP-42) first";
                }
                for (String pubkey : authenticated) {
                    if (pubkey.equals(identity.pubkey()) || groups.isMember(GroupStore.RELAY, pubkey)) {
                        return null;
                    }
                }
                return "restricted: invite codes are given to members of this relay only";
            }
            default -> throw new IllegalStateException("unknown invite policy " + settings.invites());
        }
    }

    // ---- what the relay publishes -------------------------------------------------------------

    /**
     * Brings the stored membership list up to date with the store's members (at startup: the
     * relay may have stopped between a change and its list). Publishes only when they differ.
     */
    public void reconcile() throws StoreException, InterruptedException {
        onSerial(() -> {
            Event stored = latestList();
            if (stored != null) {
                lastListAt = stored.createdAt();
            }
            Map<String, Set<String>> members = new HashMap<>();
            for (GroupStore.Member m : groups.members(GroupStore.RELAY)) {
                members.put(m.pubkey(), Set.copyOf(m.roles()));
            }
            if (stored == null ? !members.isEmpty() : !members.equals(listed(stored))) {
                // Wait for the commit: the relay serves the repaired list from its first connection on.
                WriteStatus status = publishList().get(30, java.util.concurrent.TimeUnit.SECONDS);
                LOG.info("membership list repaired at start ({} members): {}", members.size(), status);
            }
            return null;
        });
    }

    private Event latestList() throws StoreException {
        Filter f = Filter.builder().authors(identity.pubkey()).kinds(LIST).build();
        Event[] found = new Event[1];
        events.query(new Query(List.of(new Query.Part(f, 1)), 1, now()), stored -> {
            try {
                found[0] = Event.parse(stored.json());
            } catch (nostr.core.event.InvalidEventException e) {
                LOG.warn("stored membership list {} does not parse: {}", stored.id(), e.getMessage());
            }
            return false;
        });
        return found[0];
    }

    private static Map<String, Set<String>> listed(Event list) {
        Map<String, Set<String>> out = new HashMap<>();
        for (List<String> tag : list.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals("member")) {
                out.put(tag.get(1), Set.copyOf(tag.subList(2, tag.size())));
            }
        }
        return out;
    }

    /** Signs and stores the current membership list (on the serial thread); completes when written. */
    private java.util.concurrent.CompletableFuture<WriteStatus> publishList() throws StoreException, InterruptedException {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("-"));
        for (GroupStore.Member m : groups.members(GroupStore.RELAY)) {
            List<String> tag = new ArrayList<>();
            tag.add("member");
            tag.add(m.pubkey());
            tag.addAll(m.roles());
            tags.add(tag);
        }
        long at = Math.max(now(), lastListAt + 1);
        lastListAt = at;
        return publish(identity.sign(new EventTemplate(at, LIST, tags, "")));
    }

    private void publishChange(int kind, String pubkey) throws InterruptedException {
        publish(identity.sign(new EventTemplate(now(), kind, List.of(List.of("-"), List.of("p", pubkey)), "")));
    }

    /** Hands a relay-signed event to the writer; completes with its write status (failures are logged). */
    private java.util.concurrent.CompletableFuture<WriteStatus> publish(Event e) throws InterruptedException {
        java.util.concurrent.CompletableFuture<WriteStatus> done = new java.util.concurrent.CompletableFuture<>();
        publisher.publish(e, (status, error) -> {
            if (error != null) {
                LOG.warn("could not store relay-signed kind {} event {}: {}", e.kind(), e.id(), error);
                done.completeExceptionally(new StoreException(error));
                return;
            }
            if (status != WriteStatus.STORED && status != WriteStatus.DUPLICATE) {
                LOG.warn("relay-signed kind {} event {} was not stored: {}", e.kind(), e.id(), status);
            }
            done.complete(status);
        });
        return done;
    }

    /** Stops taking changes; those already queued finish. */
    public void close() {
        serial.shutdown();
        try {
            serial.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- small things -------------------------------------------------------------------------

    private long now() {
        return clock.millis() / 1000;
    }

    /** 18 random bytes as URL-safe base64: 24 characters, 144 bits. */
    private static String newCode() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static boolean isIntegerIn(String s, long min, long max) {
        try {
            long v = Long.parseLong(s.strip());
            return v >= min && v <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
