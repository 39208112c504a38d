package nostr.signer.approval;

import java.util.Optional;
import java.util.Set;

import nostr.signer.ops.SignerException;

/**
 * Decides whether an operation may run, in this order: kinds that always need confirmation ask the
 * user every time (a remembered decision does not cover them); auto-approved kinds pass; a remembered
 * decision (allow or deny) applies; anything else asks the user through the {@link ApprovalBroker},
 * remembering the answer when the user asks for it. One instance per front: D-Bus callers and the
 * NIP-46 bunker have their own auto-approve lists and share the store and the broker.
 */
public final class AccessPolicy {
    private final Set<String> autoApprove;
    private final Set<String> alwaysConfirm;
    private final PolicyStore store;
    private final ApprovalBroker broker;

    public AccessPolicy(Set<String> autoApprove, Set<String> alwaysConfirm, PolicyStore store, ApprovalBroker broker) {
        this.autoApprove = Set.copyOf(autoApprove);
        this.alwaysConfirm = Set.copyOf(alwaysConfirm);
        this.store = store;
        this.broker = broker;
    }

    /** The outcome of {@link #check}: how the operation was allowed. */
    public enum Grant { AUTO_APPROVED, REMEMBERED, USER_APPROVED }

    /**
     * Returns how the operation was allowed, or throws APPROVAL_DENIED.
     *
     * @param app who asks
     * @param identity npub of the identity used
     * @param requestKind the seed's request type for the signal (event, encrypt, decrypt, connect)
     * @param aclKind what a decision covers (event kind, encrypt, decrypt, connect)
     * @param preview shown to the user
     * @param requester the caller's bus name; it may not answer itself
     */
    public Grant check(String app, String identity, String requestKind, String aclKind, String preview, String requester) {
        return check(app, identity, requestKind, aclKind, preview, requester, null);
    }

    /** {@link #check} that reports the pending request to {@code onPrompt} when it has to ask the user. */
    public Grant check(String app, String identity, String requestKind, String aclKind, String preview, String requester,
                       java.util.function.Consumer<PendingApproval> onPrompt) {
        boolean confirm = alwaysConfirm.contains(aclKind);
        if (!confirm) {
            if (autoApprove.contains(aclKind)) {
                return Grant.AUTO_APPROVED;
            }
            Optional<Decision> remembered = store.lookup(app, identity, aclKind);
            if (remembered.isPresent()) {
                if (remembered.get().allow()) {
                    return Grant.REMEMBERED;
                }
                throw SignerException.denied("denied by a remembered decision for " + app + " (kind " + aclKind + ")");
            }
        }
        ApprovalBroker.Answer answer = broker.await(app, identity, requestKind, aclKind, preview, requester, onPrompt);
        if (answer.remember() && !confirm) {
            store.remember(app, identity, aclKind, answer.approved(), answer.ttl());
        }
        if (!answer.approved()) {
            throw SignerException.denied("the request was denied or no decision came within "
                    + broker.timeout().toSeconds() + " s");
        }
        return Grant.USER_APPROVED;
    }

    /** True when {@code aclKind} must be confirmed every time, whatever was granted before. */
    public boolean alwaysConfirms(String aclKind) {
        return alwaysConfirm.contains(aclKind);
    }

}
