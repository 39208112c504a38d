package nostr.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locations in the checkout for tests: the repo root (set by surefire), vectors, interop scripts. */
public final class Repo {
    private Repo() {}

    /** The checkout's root directory. */
    public static Path root() {
        String r = System.getProperty("repo.root");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/lib/common.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (set -Drepo.root)");
        }
        return p;
    }

    /** A test vector file from core's test resources ({@code vectors/...}), as UTF-8 text. */
    public static String vector(String name) {
        try (InputStream in = Repo.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test vector " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
