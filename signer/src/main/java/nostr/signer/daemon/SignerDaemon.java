package nostr.signer.daemon;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.nostr.Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nostr.signer.approval.AccessPolicy;
import nostr.signer.approval.ApprovalBroker;
import nostr.signer.approval.PendingApproval;
import nostr.signer.approval.PolicyStore;
import nostr.signer.bunker.Bunker;
import nostr.signer.bunker.SecretRegistry;
import nostr.signer.bunker.SessionStore;
import nostr.signer.config.SignerConfig;
import nostr.signer.dbus.CallerResolver;
import nostr.signer.dbus.SignerService;
import nostr.signer.files.PrivateFiles;
import nostr.signer.keys.KeyStore;
import nostr.signer.keys.KeyVault;
import nostr.signer.keys.NcryptsecFileKeyStore;
import nostr.signer.keys.SecretServiceKeyStore;
import nostr.signer.ops.KeyOperations;
import nostr.signer.ratelimit.AuthFailureLimiter;
import nostr.signer.ratelimit.RateLimiter;
import nostr.signer.secretservice.SecretServiceClient;
import nostr.signer.secretservice.TransportCipher;

/**
 * The running signer: connects to the session bus, picks the key store, wires the vault, the access
 * policy, the rate limiters and the NIP-46 bunker into a {@link SignerService}, exports it at
 * {@code /org/nostr/signer}, owns {@code org.nostr.Signer} and auto-locks idle keys. The method-call
 * pool is large ({@link #METHOD_CALL_THREADS}) because a call waiting for approval holds its thread;
 * the number of waiting calls is capped well below it ({@code max-pending-approvals}) so ApproveRequest
 * and every other call always find a free thread.
 */
public final class SignerDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignerDaemon.class);
    /** dbus-java runs exported methods on a fixed pool (4 threads by default). */
    public static final int METHOD_CALL_THREADS = 64;

    private final DBusConnection bus;
    private final SignerService service;
    private final KeyVault vault;
    private final Bunker bunker;
    private final ScheduledExecutorService timer;
    private final BunkerRelayLinkHandle relayLink;

    /** What starts and stops the bunker's relay transport; none until relays are wired. */
    public interface BunkerRelayLinkHandle extends AutoCloseable {
        @Override
        void close();
    }

    /** Builds the bunker relay link when the bunker is enabled. */
    public interface BunkerTransport {
        BunkerRelayLinkHandle start(Bunker bunker, SignerService service, SignerConfig config);
    }

    private SignerDaemon(DBusConnection bus, SignerService service, KeyVault vault, Bunker bunker,
                         ScheduledExecutorService timer, BunkerRelayLinkHandle relayLink) {
        this.bus = bus;
        this.service = service;
        this.vault = vault;
        this.bunker = bunker;
        this.timer = timer;
        this.relayLink = relayLink;
    }

    /** Connects to the bus at {@code busAddress} (null: the session bus) and starts serving. */
    public static SignerDaemon start(SignerConfig config, String busAddress, InstantSource clock,
                                     BunkerTransport transport) throws DBusException, IOException {
        PrivateFiles.ensureDir(config.dataDir());
        DBusConnectionBuilder builder = busAddress == null ? DBusConnectionBuilder.forSessionBus()
                : DBusConnectionBuilder.forAddress(busAddress);
        DBusConnection bus = builder.withShared(false)
                .receivingThreadConfig()
                .withMethodCallThreadCount(METHOD_CALL_THREADS)
                .withSignalThreadCount(1)
                .connectionConfig()
                .build();
        try {
            KeyStore store = keyStore(config, bus, clock);
            LOG.info("key store: {}", store.backend());
            KeyVault vault = new KeyVault(store, config.defaultIdentity(), config.lockTimeout(), clock);
            KeyOperations ops = new KeyOperations(vault);
            PolicyStore policyStore = new PolicyStore(config.policyFile(), clock);
            int maxPending = Math.min(config.maxPendingApprovals(), METHOD_CALL_THREADS - 8);
            ApprovalBroker broker = new ApprovalBroker(config.approvalTimeout(), maxPending, clock);
            AccessPolicy dbusPolicy = new AccessPolicy(config.autoApproveKinds(), config.alwaysConfirmKinds(), policyStore,
                    broker);
            AccessPolicy bunkerPolicy = new AccessPolicy(config.bunkerAutoApproveKinds(), config.alwaysConfirmKinds(),
                    policyStore, broker);
            AuthFailureLimiter connectLimiter = new AuthFailureLimiter(config.bunkerAuthMaxFailures(),
                    config.bunkerAuthLockoutMax(), clock);
            Bunker bunker = new Bunker(ops, bunkerPolicy,
                    new SessionStore(config.sessionsFile(), config.clientSessionTimeout(), clock),
                    new SecretRegistry(config.bunkerSecretsFile(), clock), connectLimiter,
                    new Bunker.Settings(config.bunkerRelays(), config.bunkerAllowedPubkeys(),
                            config.bunkerAllowedMethods(), config.bunkerAuthUrl(), Duration.ofHours(24)),
                    clock);
            CallerResolver resolver = new CallerResolver(bus);
            SignerService service = new SignerService(
                    () -> resolver.resolve(callSender()),
                    config, ops, dbusPolicy, broker,
                    new RateLimiter("SignEvent", config.signLimit(), clock),
                    new RateLimiter("key mutation", config.keyMutationLimit(), clock),
                    new AuthFailureLimiter(config.bunkerAuthMaxFailures(), config.bunkerAuthLockoutMax(), clock),
                    bunker);
            broker.setListener(new ApprovalBroker.Listener() {
                @Override
                public void requested(PendingApproval r) {
                    try {
                        bus.sendMessage(new Signer.ApprovalRequested(Signer.OBJECT_PATH, r.appId(), r.identity(), r.kind(),
                                r.preview(), r.requestId()));
                    } catch (DBusException e) {
                        LOG.warn("cannot emit ApprovalRequested: {}", e.getMessage());
                    }
                    LOG.info("approval requested {}: {} wants {} ({}) as {}", r.requestId(), r.appId(), r.kind(),
                            r.aclKind(), r.identity());
                }

                @Override
                public void completed(String requestId, boolean decision) {
                    try {
                        bus.sendMessage(new Signer.ApprovalCompleted(Signer.OBJECT_PATH, requestId, decision));
                    } catch (DBusException e) {
                        LOG.warn("cannot emit ApprovalCompleted: {}", e.getMessage());
                    }
                    LOG.info("approval {} {}", requestId, decision ? "granted" : "denied");
                }
            });
            bus.exportObject(Signer.OBJECT_PATH, service);
            nostr.signer.dbus.IntrospectionFix.apply(bus, Signer.OBJECT_PATH, service);
            bus.requestBusName(Signer.BUS_NAME);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "signer-auto-lock");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(50, Math.min(1000, config.lockTimeout().toMillis() / 4));
            timer.scheduleWithFixedDelay(() -> {
                try {
                    vault.lockIfIdle();
                } catch (RuntimeException e) {
                    LOG.warn("auto-lock check failed", e);
                }
            }, period, period, TimeUnit.MILLISECONDS);
            BunkerRelayLinkHandle link = null;
            if (config.bunkerEnabled() && transport != null) {
                link = transport.start(bunker, service, config);
            }
            LOG.info("serving {} at {} on {}", Signer.BUS_NAME, Signer.OBJECT_PATH,
                    busAddress == null ? "the session bus" : busAddress);
            return new SignerDaemon(bus, service, vault, bunker, timer, link);
        } catch (DBusException | RuntimeException e) {
            bus.disconnect();
            throw e;
        }
    }

    private static String callSender() {
        var info = DBusConnection.getCallInfo();
        return info == null ? null : info.getSource();
    }

    private static KeyStore keyStore(SignerConfig config, DBusConnection bus, InstantSource clock) {
        NcryptsecFileKeyStore file = new NcryptsecFileKeyStore(config.keysDir(), config.nip49LogN(), config.passphraseFile(),
                clock);
        SecretServiceKeyStore ss = new SecretServiceKeyStore(bus, TransportCipher.DH_AES, clock);
        return switch (config.keyStore()) {
            case FILE -> file;
            case SECRET_SERVICE -> ss;
            case AUTO -> {
                String why = SecretServiceClient.unusableBecause(bus);
                if (why == null) {
                    yield ss;
                }
                LOG.info("Secret Service not usable ({}); keys are ncryptsec files in {}", why, config.keysDir());
                yield file;
            }
        };
    }

    public SignerService service() {
        return service;
    }

    public KeyVault vault() {
        return vault;
    }

    public Bunker bunker() {
        return bunker;
    }

    /** Releases the name, stops the bunker, zeroes every key and disconnects. */
    @Override
    public void close() {
        LOG.info("stopping: releasing {} and zeroing keys", Signer.BUS_NAME);
        timer.shutdownNow();
        if (relayLink != null) {
            relayLink.close();
        }
        try {
            bus.releaseBusName(Signer.BUS_NAME);
        } catch (DBusException e) {
            LOG.debug("releasing the bus name failed: {}", e.getMessage());
        }
        bus.unExportObject(Signer.OBJECT_PATH);
        vault.lock();
        bus.disconnect();
    }
}
