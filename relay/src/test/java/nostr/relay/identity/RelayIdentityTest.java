package nostr.relay.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-11 {@code self}: the relay key file is generated once with mode 0600, reused, and refused when exposed. */
class RelayIdentityTest {
    @TempDir
    Path dir;

    @Test
    void nip11SelfKeyIsGeneratedOnceWithMode0600AndReused() throws Exception {
        Path file = dir.resolve("sub/relay.key");
        RelayIdentity first = RelayIdentity.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file).strip();
        assertEquals(first.pubkey(), SecretKey.parse(text).publicKey().hex());
        assertEquals(first.pubkey(), RelayIdentity.loadOrCreate(file).pubkey());
        assertFalse(first.toString().contains(text), "toString never shows the secret");
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
        Event signed = first.sign(EventTemplate.of(13534, "", List.of(List.of("-"))));
        assertEquals(first.pubkey(), signed.pubkey());
        assertTrue(signed.isValid());
    }

    @Test
    void nip11SelfKeyFileMayHoldAnNsec() throws Exception {
        SecretKey key = SecretKey.generate();
        Path file = dir.resolve("nsec.key");
        Files.writeString(file, key.toNsec() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals(key.publicKey().hex(), RelayIdentity.loadOrCreate(file).pubkey());
    }

    @Test
    void nip11SelfKeyReadableByOthersOrGarbageIsRefusedByName() throws Exception {
        Path open = dir.resolve("open.key");
        Files.writeString(open, SecretKey.generate().toHex());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> RelayIdentity.loadOrCreate(open));
        assertTrue(e.getMessage().contains(open.toString()) && e.getMessage().contains("chmod 600"), e.getMessage());

        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "not a key");
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
        IOException g = assertThrows(IOException.class, () -> RelayIdentity.loadOrCreate(garbage));
        assertTrue(g.getMessage().contains(garbage.toString()), g.getMessage());
        assertFalse(g.getMessage().contains("not a key"), "the file's content is not echoed");
    }
}
