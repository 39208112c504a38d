package nostr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nostr verify}: checks events (format, id, signature); silent when all are valid. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check events: format, id and signature.",
                "Events are JSON, one per argument or stdin line.",
                "Exit 0 when every event is valid; otherwise print why to stderr and exit 1."})
final class VerifyCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "EVENT", description = "Event JSON (else stdin lines).")
    List<String> events;

    VerifyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<String> inputs = Inputs.argsOrStdin(events, ctx, "event");
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String where = inputs.size() > 1 ? "event " + (i + 1) + ": " : "";
            try {
                Event e = Event.parse(inputs.get(i));
                e.verify();
            } catch (InvalidEventException e) {
                problems.add(where + "invalid: " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            return ExitCode.OK;
        }
        problems.forEach(p -> ctx.err().println("nostr verify: " + p));
        ctx.err().flush();
        return ExitCode.NEGATIVE;
    }
}
