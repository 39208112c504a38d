package nostr.signer.approval;

/**
 * A request waiting for a user's decision, as the ApprovalRequested signal and the terminal approver
 * show it.
 *
 * @param requestId the id ApproveRequest answers
 * @param appId who asks (explicit app id, executable path, or {@code nip46:<client pubkey>})
 * @param identity the npub the operation would use
 * @param kind the seed's request type: event, encrypt, decrypt or connect
 * @param aclKind what a remembered decision would cover (an event kind, encrypt, decrypt, connect)
 * @param preview human-readable preview, at most 96 characters
 * @param requester the bus name (or NIP-46 client) that asked; it may not answer its own request
 * @param createdAt unix seconds
 */
public record PendingApproval(String requestId, String appId, String identity, String kind, String aclKind,
                              String preview, String requester, long createdAt) {}
