package nostr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.client.PublishResult;
import nostr.core.client.RelayOutcome;
import nostr.core.client.RelayPool;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nostr publish}: sends the events on stdin to relays and prints each relay's OK. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish events from stdin to relays and print each OK.",
                "Reads signed events, one JSON per line, and sends each to every --relay.",
                "Prints one JSON line per event and relay: {\"relay\",\"id\",\"accepted\",\"message\"},",
                "or {\"relay\",\"id\",\"accepted\":false,\"error\"} when the relay gave no answer.",
                "Every line is checked before anything is sent; a malformed line sends nothing (exit 2)."})
final class PublishCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    RelayOptions relay;

    PublishCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<Event> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (String line : ctx.stdinLines()) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(Event.parse(line.strip()));
            } catch (InvalidEventException e) {
                problems.add("stdin line " + n + ": invalid event: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            for (int i = 0; i < problems.size() - 1; i++) {
                ctx.err().println("nostr publish: " + problems.get(i));
            }
            throw CliException.usage(problems.getLast() + "; nothing was published");
        }
        if (events.isEmpty()) {
            throw CliException.usage("no events on standard input (one event JSON per line)");
        }
        Outcomes outcomes = new Outcomes();
        try (RelayPool pool = relay.connect(ctx)) {
            for (Event e : events) {
                for (RelayOutcome<PublishResult> o : Outcomes.await(pool.publish(e))) {
                    JsonLine line = new JsonLine().put("relay", o.relayUrl()).put("id", e.id());
                    switch (o) {
                        case RelayOutcome.Success<PublishResult> s -> {
                            line.put("accepted", s.value().accepted()).put("message", s.value().message());
                            if (!s.value().accepted()) {
                                outcomes.refused();
                            }
                        }
                        case RelayOutcome.Failure<PublishResult> f -> {
                            line.put("accepted", false).put("error", f.error().getMessage());
                            outcomes.failed(f.error());
                        }
                    }
                    ctx.println(line.toString());
                }
            }
        }
        return outcomes.exitCode();
    }
}
