package nostr.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.SecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nostr event}: signs an event built from flags, or each template piped on stdin (flags
 * then override the template's fields; tags are added).
 */
@Command(name = "event", mixinStandardHelpOptions = true,
        description = {"Sign an event and print it as one JSON line.",
                "When stdin is not a terminal, each line on it is an event template ({\"kind\":1,\"content\":...};",
                "created_at defaults to now) and is signed in turn; the flags override its fields and --tag adds tags.",
                "With nothing on stdin, the event is made from the flags alone."})
final class EventCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    SecretKeyOption secret;

    @Mixin
    TemplateOptions template;

    EventCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SecretKey key = secret.require(ctx);
        try {
            for (EventTemplate.Parsed t : template.templates(ctx, key.publicKey().hex())) {
                Event e = t.template().sign(key);
                ctx.println(e.json());
            }
        } finally {
            key.destroy();
        }
        return ExitCode.OK;
    }

    /** The event fields as options, shared with {@code pow}. */
    static final class TemplateOptions {
        @Option(names = {"--kind", "-k"}, paramLabel = "N", description = "Event kind (default 1).")
        Integer kind;

        @Option(names = {"--content", "-c"}, paramLabel = "TEXT", description = "Content (default empty).")
        String content;

        @Option(names = {"--tag", "-t"}, paramLabel = "NAME=V1,V2",
                description = "A tag, e.g. -t e=<id> -t t=nostr; 'name' alone for a one-element tag (repeatable).")
        List<String> tags;

        @Option(names = "--created-at", paramLabel = "UNIX", description = "created_at in unix seconds (default now).")
        Long createdAt;

        /**
         * The templates to sign, each with the pubkey it named (or null): one per stdin line when
         * stdin is piped and not empty, else one from the flags. {@code pubkey}, when not null, must
         * match a template's own pubkey field.
         */
        List<EventTemplate.Parsed> templates(CliContext ctx, String pubkey) {
            List<EventTemplate.Parsed> out = new ArrayList<>();
            if (!ctx.stdinIsTerminal()) {
                int n = 0;
                for (String line : ctx.stdinLines()) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    EventTemplate.Parsed parsed;
                    try {
                        parsed = EventTemplate.parse(line);
                    } catch (InvalidEventException e) {
                        throw CliException.usage("stdin line " + n + ": invalid event template: " + e.getMessage());
                    }
                    if (pubkey != null && parsed.pubkey() != null && !parsed.pubkey().equals(pubkey)) {
                        throw CliException.usage("stdin line " + n + ": the template's pubkey " + parsed.pubkey()
                                + " is not the signing key's " + pubkey);
                    }
                    out.add(new EventTemplate.Parsed(apply(parsed.template()), parsed.pubkey()));
                }
            }
            if (out.isEmpty()) {
                out.add(new EventTemplate.Parsed(apply(new EventTemplate(Instant.now().getEpochSecond(), 1, List.of(),
                        "")), null));
            }
            return out;
        }

        private EventTemplate apply(EventTemplate t) {
            List<List<String>> allTags = new ArrayList<>(t.tags());
            if (tags != null) {
                tags.forEach(spec -> allTags.add(Inputs.tag(spec)));
            }
            try {
                return new EventTemplate(createdAt != null ? createdAt : t.createdAt(),
                        kind != null ? kind : t.kind(), allTags, content != null ? content : t.content());
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
        }
    }
}
