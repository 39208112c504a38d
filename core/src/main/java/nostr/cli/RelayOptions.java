package nostr.cli;

import java.time.Duration;
import java.util.List;
import nostr.core.client.ClientOptions;
import nostr.core.client.RelayPool;
import nostr.core.event.EventSigner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of commands that talk to relays: which relays, how long to wait, whether to AUTH. */
final class RelayOptions {

    @Option(names = {"--relay", "-r"}, paramLabel = "URL", required = true,
            description = "Relay URL, ws:// or wss:// (repeatable).")
    List<String> relays;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait to connect, for each OK or COUNT answer, and for EOSE (default 10).")
    int timeoutSeconds;

    @Option(names = "--auth",
            description = "Answer NIP-42 AUTH challenges, signing with --sec or $NOSTR_SECRET_KEY.")
    boolean auth;

    @Mixin
    SecretKeyOption secret;

    /** Connects to every relay (failures are reported per relay by the pool). */
    RelayPool connect(CliContext ctx) {
        if (timeoutSeconds <= 0) {
            throw CliException.usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        Duration t = Duration.ofSeconds(timeoutSeconds);
        ClientOptions options = ClientOptions.defaults().withConnectTimeout(t).withRequestTimeout(t)
                .withEoseTimeout(t);
        if (auth) {
            options = options.withSigner(EventSigner.of(secret.require(ctx)));
        }
        try {
            return RelayPool.connect(relays, options);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
