package nostr.relay.store.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A migration script from the class path, split into statements.
 *
 * <p>Statements end with a line ending in {@code ;}. Two kinds of body keep their inner
 * semicolons: SQLite trigger bodies (from a line ending in {@code BEGIN} to a line {@code END;})
 * and PostgreSQL dollar-quoted bodies ({@code $$ ... $$}). Whole-line {@code --} comments are
 * dropped; scripts put no comments after code on the same line.
 */
public record SqlScript(String text, List<String> statements) {

    public SqlScript {
        statements = List.copyOf(statements);
    }

    /** Loads {@code resource} (absolute class-path name) and splits it. */
    public static SqlScript load(String resource) {
        try (InputStream in = SqlScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new SqlScript(text, split(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + resource, e);
        }
    }

    /** Splits a script into statements (without their final semicolon). */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inTrigger = false;
        boolean inDollar = false;
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (!inDollar && !inTrigger && (t.isEmpty() || t.startsWith("--"))) {
                continue;
            }
            current.append(line).append('\n');
            int dollars = count(line, "$$");
            if (dollars % 2 == 1) {
                inDollar = !inDollar;
            }
            String upper = t.toUpperCase(Locale.ROOT);
            if (!inDollar && !inTrigger && upper.endsWith("BEGIN")) {
                inTrigger = true;
                continue;
            }
            if (inTrigger) {
                if (upper.equals("END;")) {
                    inTrigger = false;
                    finish(out, current);
                }
                continue;
            }
            if (!inDollar && t.endsWith(";")) {
                finish(out, current);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("script ends inside a statement: " + current.toString().strip());
        }
        return out;
    }

    private static void finish(List<String> out, StringBuilder current) {
        String s = current.toString().strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        out.add(s);
        current.setLength(0);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
