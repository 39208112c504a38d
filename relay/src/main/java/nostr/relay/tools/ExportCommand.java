package nostr.relay.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.core.filter.Filter;
import nostr.core.keys.PublicKey;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Query;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parrhesia export}: stored events as JSON lines, each exactly the JSON text the relay
 * received (except that line breaks between tokens, which JSON lines cannot hold, become spaces),
 * newest first (NIP-01 order). Rows stream from a store cursor to the output; nothing
 * is collected. Expired events (NIP-40) are left out, as the relay would not serve them. Safe while
 * the relay runs: it only reads (one snapshot).
 */
@Command(name = "export", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"Writes stored events as JSON lines (newest first), each exactly as the relay received it.",
                "Reads only: safe while the relay runs."})
final class ExportCommand extends ToolCommand {
    @Mixin
    StoreOptions store;

    @Option(names = {"--kind", "-k"}, paramLabel = "KIND", description = "only this kind (repeatable)")
    List<Integer> kinds = new ArrayList<>();

    @Option(names = {"--author", "-a"}, paramLabel = "PUBKEY", description = "only this author, hex or npub (repeatable)")
    List<String> authors = new ArrayList<>();

    @Option(names = "--since", paramLabel = "UNIX", description = "created_at at or after")
    Long since;

    @Option(names = "--until", paramLabel = "UNIX", description = "created_at at or before")
    Long until;

    @Option(names = {"--tag", "-t"}, paramLabel = "X=VALUE",
            description = "only events with this single-letter tag value (repeatable; values of one letter are OR-ed)")
    List<String> tags = new ArrayList<>();

    @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path output;

    @Override
    int run() throws Exception {
        Filter filter = filter();
        RelayConfig cfg = store.load();
        long[] count = {0};
        try (Storage storage = StoreOptions.open(cfg); Writer w = writer()) {
            Query q = new Query(List.of(new Query.Part(filter, Integer.MAX_VALUE)), Integer.MAX_VALUE,
                    System.currentTimeMillis() / 1000);
            try {
                storage.events().query(q, e -> {
                    try {
                        w.write(oneLine(e.json()));
                        w.write('\n');
                        if ((++count[0] & 4095) == 0) {
                            w.flush(); // notices a closed pipe without reading the rest of the store
                        }
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                    return true;
                });
            } catch (StoreException e) {
                throw ToolFailure.unavailable("the store failed after " + count[0] + " events: " + e.getMessage());
            } catch (UncheckedIOException e) {
                throw ToolFailure.unavailable("cannot write the output after " + count[0] + " events: "
                        + e.getCause().getMessage());
            }
        } catch (IOException e) {
            // Also a broken pipe on standard output (| head), which PrintWriter reports only through checkError.
            throw ToolFailure.unavailable("cannot write the output: " + e.getMessage());
        }
        err().println("parrhesia export: " + count[0] + " events");
        err().flush();
        return ToolExit.OK;
    }

    /**
     * The raw JSON on one line: a line break can only be whitespace between tokens (JSON strings
     * escape them), so each CR or LF becomes a space; every other byte is kept.
     */
    static String oneLine(String json) {
        return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\n', ' ').replace('\r', ' ');
    }

    private Writer writer() throws IOException {
        if (output == null) {
            // Standard output stays open: only flushed at the end.
            java.io.PrintWriter out = out();
            return new Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    out.write(buf, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                    if (out.checkError()) {
                        throw new IOException("standard output was closed");
                    }
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8), 1 << 16);
    }

    private Filter filter() {
        Filter.Builder b = Filter.builder();
        if (!kinds.isEmpty()) {
            for (int k : kinds) {
                if (k < 0 || k > 65535) {
                    throw ToolFailure.usage("--kind must be 0..65535, got " + k);
                }
            }
            b.kinds(kinds);
        }
        if (!authors.isEmpty()) {
            List<String> hex = new ArrayList<>();
            for (String a : authors) {
                try {
                    hex.add(PublicKey.parse(a).hex());
                } catch (IllegalArgumentException e) {
                    throw ToolFailure.usage("--author " + a + ": " + e.getMessage());
                }
            }
            b.authors(hex);
        }
        if (since != null) {
            b.since(since);
        }
        if (until != null) {
            b.until(until);
        }
        java.util.Map<Character, List<String>> byLetter = new java.util.TreeMap<>();
        for (String t : tags) {
            int eq = t.indexOf('=');
            if (eq != 1 || !Character.isLetter(t.charAt(0))) {
                throw ToolFailure.usage("--tag must be X=VALUE with a single letter X, got '" + t + "'");
            }
            byLetter.computeIfAbsent(t.charAt(0), c -> new ArrayList<>()).add(t.substring(2));
        }
        byLetter.forEach(b::tag);
        return b.build();
    }
}
