package nostr.core.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls nostr-tools (npm, pinned in interop/package.json) through interop/nostr-tools-ops.mjs: one
 * node process per call, one operation over a batch of cases. Values go in and come back as plain
 * Java values ({@link JsonTree}); bytes as hex.
 */
public final class NostrTools {
    private NostrTools() {}

    /** Runs {@code op} with the given request fields (alternating name, value) and returns the parsed result. */
    public static <T> T call(String op, Object... fields) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", op);
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        Node.Result r = Node.run("nostr-tools-ops.mjs", JsonTree.write(request));
        if (r.exitCode() != 0) {
            throw new AssertionError("nostr-tools " + op + " failed (exit " + r.exitCode() + "): " + r.stderr());
        }
        @SuppressWarnings("unchecked")
        T result = (T) JsonTree.parse(r.stdout().strip());
        return result;
    }

    /** An event as the map nostr-tools expects. */
    public static Map<String, Object> event(nostr.core.event.Event e) {
        return JsonTree.object(e.json());
    }
}
