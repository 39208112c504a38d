package nostr.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import nostr.blossom.server.MirrorSources;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blossom_* configuration keys: defaults, the --blossom-dir flag, parsing and refusals naming the key. */
class BlossomConfigTest {
    @TempDir
    Path dir;

    @Test
    void blossomIsOnByDefaultWithBlobsUnderTheDataDirectory() throws Exception {
        BlossomConfig b = ConfigLoader.load(Map.of("data_dir", "/srv/relay"), Map.of()).blossom();
        assertTrue(b.enabled());
        assertNull(b.dir());
        assertEquals(Path.of("/srv/relay/blobs"), b.dirUnder(Path.of("/srv/relay")));
        assertEquals(100L * 1024 * 1024, b.maxSize());
        assertEquals(1024L * 1024 * 1024, b.quotaBytes());
        assertEquals(Set.of(), b.allowedUploaders());
        assertEquals("", b.publicUrl());
        assertEquals(MirrorSources.PUBLIC_ONLY, b.mirrorSources());
        assertTrue(b.fsync());
        assertEquals(8L * 1024 * 1024, b.directIoMin());
    }

    @Test
    void everyBlossomKeyIsRead() throws Exception {
        String a = SecretKey.generate().publicKey().hex();
        String c = SecretKey.generate().publicKey().hex();
        Path file = dir.resolve("relay.properties");
        Files.writeString(file, """
                blossom_enabled = false
                blossom_max_size = 5000
                blossom_quota_bytes = 0
                blossom_allowed_uploaders = %s, %s
                blossom_public_url = https://cdn.example.com
                blossom_mirror_sources = any
                blossom_fsync = off
                blossom_direct_io_min = 0
                """.formatted(a, c));
        BlossomConfig b = ConfigLoader.load(Map.of("config", file.toString(), "blossom_dir", "/var/blobs"),
                Map.of("PARRHESIA_BLOSSOM_MAX_SIZE", "6000")).blossom();
        assertFalse(b.enabled());
        assertEquals(Path.of("/var/blobs"), b.dir());
        assertEquals(6000, b.maxSize());
        assertEquals(0, b.quotaBytes());
        assertEquals(Set.of(a, c), b.allowedUploaders());
        assertEquals("https://cdn.example.com", b.publicUrl());
        assertEquals(MirrorSources.ANY_HOST, b.mirrorSources());
        assertFalse(b.fsync());
        assertEquals(0, b.directIoMin());
    }

    @Test
    void badBlossomValuesAreRefusedNamingTheKey() {
        Map<String, String> bad = Map.of(
                "blossom_max_size", "0",
                "blossom_quota_bytes", "-1",
                "blossom_allowed_uploaders", "npub1notahexkey",
                "blossom_public_url", "ftp://cdn.example.com",
                "blossom_mirror_sources", "lan",
                "blossom_enabled", "maybe",
                "blossom_fsync", "sometimes",
                "blossom_direct_io_min", "-1");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            ConfigException ex = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(Map.of(), Map.of(ConfigLoader.envName(e.getKey()), e.getValue())), e.getKey());
            assertTrue(ex.getMessage().contains(e.getKey()), ex.getMessage());
        }
    }
}
