package nostr.signer.approval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import nostr.core.json.Json;
import nostr.signer.files.PrivateFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Remembered access decisions per app, identity and kind, with an expiry. Persistent decisions live
 * in the policy file ({@code policy.json}, 0600), shared by the daemon and {@code nostr-signer grant}:
 * writers take a file lock and rewrite the file atomically; the daemon re-reads it whenever its
 * file version (inode, modification time, size) changes, so a grant made while the daemon runs
 * takes effect at once. Expired decisions are pruned whenever the file is rewritten.
 */
public final class PolicyStore {
    private final Path file;
    private final InstantSource clock;
    private final Object lock = new Object();
    private List<Decision> persisted = List.of();
    /** Identity of the file version loaded: inode, modification time and size (rename makes a new inode). */
    private List<Object> loadedVersion = List.of();

    public PolicyStore(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /**
     * The unexpired decision for (app, identity, kind): an exact identity match beats the
     * {@code *} wildcard, the newer beats the older.
     */
    public Optional<Decision> lookup(String app, String identity, String kind) {
        long now = clock.instant().getEpochSecond();
        List<Decision> candidates = new ArrayList<>();
        synchronized (lock) {
            refresh();
            for (Decision d : persisted) {
                if (d.app().equals(app) && d.kind().equals(kind) && !d.expired(now)
                        && (d.identity().equals(identity) || d.identity().equals(Decision.ANY_IDENTITY))) {
                    candidates.add(d);
                }
            }
        }
        return candidates.stream().max(Comparator
                .comparing((Decision d) -> d.identity().equals(identity))
                .thenComparingLong(Decision::createdAt));
    }

    /** Remembers a decision for {@code ttl} (zero = forever) in the file, replacing any for the same key. */
    public Decision remember(String app, String identity, String kind, boolean allow, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        Decision d = new Decision(app, identity, kind, allow, now, ttl.isZero() ? 0 : now + Math.max(1, ttl.toSeconds()));
        synchronized (lock) {
            try (PrivateFiles.Held held = PrivateFiles.lock(file)) {
                List<Decision> current = new ArrayList<>(read());
                current.removeIf(x -> x.sameKey(d) || x.expired(now));
                current.add(d);
                writeFile(current);
                refresh();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write policy file " + file + ": " + e.getMessage(), e);
            }
        }
        return d;
    }

    /** Removes every decision of {@code app}; returns how many. */
    public int revoke(String app) {
        synchronized (lock) {
            int n = 0;
            try (PrivateFiles.Held held = PrivateFiles.lock(file)) {
                List<Decision> current = new ArrayList<>(read());
                int size = current.size();
                current.removeIf(d -> d.app().equals(app));
                if (current.size() != size) {
                    writeFile(current);
                    n += size - current.size();
                }
                refresh();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write policy file " + file + ": " + e.getMessage(), e);
            }
            return n;
        }
    }

    /** Every unexpired decision. */
    public List<Decision> list() {
        long now = clock.instant().getEpochSecond();
        synchronized (lock) {
            refresh();
            return persisted.stream().filter(d -> !d.expired(now)).toList();
        }
    }

    private void refresh() {
        List<Object> version;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            version = List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toInstant(), a.size());
        } catch (NoSuchFileException e) {
            persisted = List.of();
            loadedVersion = List.of();
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        if (version.equals(loadedVersion)) {
            return;
        }
        try {
            persisted = List.copyOf(read());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        loadedVersion = version;
    }

    private List<Decision> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return parse(bytes, file.toString());
    }

    /** Parses the policy file format: {@code {"version":1,"decisions":[{...}]}}. */
    static List<Decision> parse(byte[] bytes, String source) throws IOException {
        List<Decision> out = new ArrayList<>();
        try (JsonParser p = Json.parser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(source + ": policy file must hold a JSON object");
            }
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                Json.next(p);
                if (name.equals("decisions")) {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw new IOException(source + ": decisions must be an array");
                    }
                    while (Json.next(p) != JsonToken.END_ARRAY) {
                        out.add(readDecision(p, source));
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException | nostr.core.json.JsonValueException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Decision readDecision(JsonParser p, String source) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(source + ": each decision must be an object");
        }
        String app = null;
        String identity = Decision.ANY_IDENTITY;
        String kind = null;
        Boolean allow = null;
        long created = 0;
        long expires = 0;
        while (Json.next(p) != JsonToken.END_OBJECT) {
            String name = p.currentName();
            Json.next(p);
            switch (name) {
                case "app" -> app = Json.readString(p, "app");
                case "identity" -> identity = Json.readString(p, "identity");
                case "kind" -> kind = AclKind.parse(Json.readString(p, "kind"), source);
                case "allow" -> {
                    if (!p.currentToken().isBoolean()) {
                        throw new IOException(source + ": allow must be true or false");
                    }
                    allow = p.getBooleanValue();
                }
                case "created_at" -> created = Json.readInteger(p, "created_at", 0, Long.MAX_VALUE);
                case "expires_at" -> expires = Json.readInteger(p, "expires_at", 0, Long.MAX_VALUE);
                default -> p.skipChildren();
            }
        }
        if (app == null || kind == null || allow == null) {
            throw new IOException(source + ": a decision needs app, kind and allow");
        }
        return new Decision(app, identity, kind, allow, created, expires);
    }

    private void writeFile(List<Decision> decisions) throws IOException {
        PrivateFiles.write(file, format(decisions).getBytes(StandardCharsets.UTF_8));
    }

    static String format(List<Decision> decisions) {
        StringBuilder sb = new StringBuilder("{\"version\":1,\"decisions\":[");
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            sb.append(i == 0 ? "\n  " : ",\n  ");
            sb.append("{\"app\":").append(Json.quote(d.app()))
                    .append(",\"identity\":").append(Json.quote(d.identity()))
                    .append(",\"kind\":").append(Json.quote(d.kind()))
                    .append(",\"allow\":").append(d.allow())
                    .append(",\"created_at\":").append(d.createdAt())
                    .append(",\"expires_at\":").append(d.expiresAt()).append('}');
        }
        return sb.append("\n]}\n").toString();
    }
}
