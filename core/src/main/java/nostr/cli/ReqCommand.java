package nostr.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import nostr.core.client.RelayException;
import nostr.core.client.RelayPool;
import nostr.core.client.Subscription;
import nostr.core.client.SubscriptionListener;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostr req}: a subscription across relays, printing events as received. */
@Command(name = "req", mixinStandardHelpOptions = true,
        description = {"Query relays and print matching events as JSON lines.",
                "Prints each event once across the --relay list, exactly as received.",
                "Ends after EOSE from every relay (or --timeout); with --stream it stays",
                "live until interrupted.",
                "CLOSED messages and failures are reported on stderr."})
final class ReqCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    RelayOptions relay;

    @Mixin
    FilterOptions filter;

    @Option(names = "--stream", description = "Stay subscribed after EOSE and print live events until interrupted.")
    boolean stream;

    ReqCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        Filter f = filter.build();
        Outcomes outcomes = new Outcomes();
        CountDownLatch eose = new CountDownLatch(1);
        CountDownLatch allEnded = new CountDownLatch(1);
        RelayPool pool = relay.connect(ctx);
        AtomicInteger live = new AtomicInteger(pool.urls().size());
        Subscription sub = pool.subscribe(List.of(f), new SubscriptionListener() {
            @Override
            public void onEvent(String relayUrl, Event event) {
                ctx.println(event.json());
            }

            @Override
            public void onEose() {
                eose.countDown();
            }

            @Override
            public void onClosed(String relayUrl, String reason) {
                ctx.err().println("nostr req: " + relayUrl + ": closed: " + reason);
                outcomes.refused();
                ended();
            }

            @Override
            public void onFailure(String relayUrl, RelayException error) {
                ctx.err().println("nostr req: " + error.getMessage());
                outcomes.failed(error);
                if (error.kind() != RelayException.Kind.TIMEOUT) {
                    ended();
                }
            }

            private void ended() {
                if (live.decrementAndGet() == 0) {
                    allEnded.countDown();
                }
            }
        });
        Thread hook = new Thread(() -> {
            sub.close();
            pool.close();
        });
        try {
            if (stream) {
                Runtime.getRuntime().addShutdownHook(hook);
                allEnded.await();
            } else {
                eose.await();
            }
        } finally {
            if (stream) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or ran: it closes the pool
                }
            }
            sub.close();
            pool.close();
        }
        return outcomes.exitCode();
    }
}
