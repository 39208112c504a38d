package nostr.cli;

import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.client.CountResult;
import nostr.core.client.RelayOutcome;
import nostr.core.client.RelayPool;
import nostr.core.filter.Filter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nostr count}: NIP-45 COUNT on each relay. */
@Command(name = "count", mixinStandardHelpOptions = true,
        description = {"Count matching events on every --relay (NIP-45).",
                "Prints one JSON line per relay: {\"relay\",\"count\",\"approximate\"[,\"hll\"]},",
                "or {\"relay\",\"error\"} when it refused (exit 1) or gave no answer (exit 3)."})
final class CountCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    RelayOptions relay;

    @Mixin
    FilterOptions filter;

    CountCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Filter f = filter.build();
        Outcomes outcomes = new Outcomes();
        try (RelayPool pool = relay.connect(ctx)) {
            for (RelayOutcome<CountResult> o : Outcomes.await(pool.count(List.of(f)))) {
                JsonLine line = new JsonLine().put("relay", o.relayUrl());
                switch (o) {
                    case RelayOutcome.Success<CountResult> s -> line.put("count", s.value().count())
                            .put("approximate", s.value().approximate()).put("hll", s.value().hll());
                    case RelayOutcome.Failure<CountResult> e -> {
                        line.put("error", e.error().getMessage());
                        outcomes.failed(e.error());
                    }
                }
                ctx.println(line.toString());
            }
        }
        return outcomes.exitCode();
    }
}
