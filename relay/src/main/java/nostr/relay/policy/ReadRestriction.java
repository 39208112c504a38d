package nostr.relay.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import nostr.core.filter.Filter;
import nostr.core.nip59.GiftWrap;
import nostr.relay.auth.AuthSession;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.stage.AccessStage;
import nostr.relay.store.Visibility;

/**
 * The read policy, shared by every message that reads stored or live events (REQ, and COUNT):
 * decides whether a connection may run its filters at all, and what it may see. One decision
 * serves the stored phase (as the store's {@link Visibility}, applied inside each filter before
 * its limit, so limits count only visible events), live fan-out ({@link Visibility#admits}) and
 * COUNT ({@code EventStore.count(filters, now, visibility)}).
 *
 * <p>The rules, in order; the first refusal is the CLOSED message:
 * <ol>
 *   <li>a client address on the blocked-IP list: {@code blocked:};</li>
 *   <li>{@code auth_required} = reads or all and the connection has not authenticated: {@code auth-required:};</li>
 *   <li>the same, authenticated, but in allowlist or members mode none of its pubkeys is allowed: {@code restricted:};</li>
 *   <li>a filter naming a kind of {@code auth_required_read_kinds} explicitly, unauthenticated: {@code auth-required:};</li>
 *   <li>a filter naming kind 1059 (NIP-59 gift wraps) explicitly, unauthenticated, with
 *       {@code giftwrap_reads} = recipient: {@code auth-required:}.</li>
 * </ol>
 * Otherwise the filters run, with what they may not see left out: unauthenticated, the kinds of
 * {@code auth_required_read_kinds} are hidden; gift wraps (recipient mode) are visible only when
 * p-tagged to one of the connection's authenticated pubkeys. A filter asking for kind 1059 alone
 * is narrowed to {@code #p} = those pubkeys (intersected with its own {@code #p}), which also lets
 * the store read its tag index.
 */
public final class ReadRestriction {
    /** The outcome for one REQ or COUNT. */
    public sealed interface Decision {
        /** Refused: the CLOSED message (machine prefix and reason). */
        record Refused(String message) implements Decision {}

        /** Allowed: run these filters (maybe narrowed) and show only what {@code visibility} admits. */
        record Allowed(List<Filter> filters, Visibility visibility) implements Decision {}
    }

    private final PolicyConfig policy;
    private final Supplier<ModerationLists> lists;
    private final Set<Integer> authReadKinds;

    public ReadRestriction(PolicyConfig policy, Supplier<ModerationLists> lists) {
        this.policy = policy;
        this.lists = lists;
        this.authReadKinds = policy.auth().readKinds().enumerate(PolicyConfig.MAX_READ_KINDS);
    }

    /** Decides for {@code filters} sent by {@code client}. */
    public Decision restrict(List<Filter> filters, ClientContext client) {
        ModerationLists m = lists.get();
        String blocked = m.blockReason(client.ip());
        if (blocked != null) {
            return new Decision.Refused("blocked: your IP address is blocked on this relay"
                    + (blocked.isBlank() ? "" : " (" + blocked + ")"));
        }
        AuthSession auth = client.auth();
        Set<String> me = auth.pubkeys();
        if (policy.auth().mode().reads()) {
            if (me.isEmpty()) {
                return new Decision.Refused("auth-required: this relay serves events only to authenticated clients; "
                        + "answer the AUTH challenge first");
            }
            if (policy.accessMode() != PolicyConfig.AccessMode.OPEN
                    && me.stream().noneMatch(pk -> AccessStage.allowed(policy.accessMode(), m, pk))) {
                return new Decision.Refused(policy.accessMode() == PolicyConfig.AccessMode.MEMBERS
                        ? "restricted: this relay serves events only to its members (NIP-43)"
                        : "restricted: this relay serves events only to its allowlisted pubkeys");
            }
        }
        boolean recipientOnly = policy.giftWrapReads() == PolicyConfig.GiftWrapReads.RECIPIENT;
        if (me.isEmpty()) {
            for (Filter f : filters) {
                if (f.kinds() == null) {
                    continue;
                }
                for (int k : f.kinds()) {
                    if (authReadKinds.contains(k)) {
                        return new Decision.Refused("auth-required: events of kind " + k
                                + " are served only to authenticated clients; answer the AUTH challenge first");
                    }
                }
                if (recipientOnly && f.kinds().contains(GiftWrap.KIND)) {
                    return new Decision.Refused("auth-required: kind 1059 gift wraps are served only to their recipients; "
                            + "authenticate as the recipient first");
                }
            }
        }
        Visibility visibility = new Visibility(me.isEmpty() ? authReadKinds : Set.of(),
                recipientOnly ? Set.of(GiftWrap.KIND) : Set.of(), me);
        if (!recipientOnly || me.isEmpty()) {
            return new Decision.Allowed(filters, visibility);
        }
        List<Filter> narrowed = new ArrayList<>(filters.size());
        for (Filter f : filters) {
            narrowed.add(f.kinds() != null && f.kinds().equals(Set.of(GiftWrap.KIND)) ? toRecipients(f, me) : f);
        }
        return new Decision.Allowed(narrowed, visibility);
    }

    /** {@code f} (kinds = [1059]) with its #p narrowed to the authenticated pubkeys. */
    private static Filter toRecipients(Filter f, Set<String> me) {
        Set<String> p = new LinkedHashSet<>(me);
        Set<String> asked = f.tags().get('p');
        if (asked != null) {
            p.retainAll(asked);
        }
        java.util.Map<Character, Set<String>> tags = new java.util.TreeMap<>(f.tags());
        tags.put('p', p);
        return new Filter(f.ids(), f.authors(), f.kinds(), tags, f.since(), f.until(), f.limit(), f.search());
    }
}
