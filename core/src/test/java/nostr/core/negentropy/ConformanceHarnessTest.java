package nostr.core.negentropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.Hex;
import org.junit.jupiter.api.Test;

/**
 * The conformance harness line protocol (specs/negentropy/NOTES.md "The harness contract"), in
 * process and as the program bin/negentropy-harness runs: output lines, frame size checks, and
 * fatal errors with a non-zero exit status.
 */
class ConformanceHarnessTest {
    private static final String ID_A = Hex.encode(NegentropyTest.id(1));
    private static final String ID_B = Hex.encode(NegentropyTest.id(2));

    @Test
    void nip77HarnessClientPrintsHaveThenNeedThenDone() {
        ConformanceHarness h = new ConformanceHarness(0);
        assertEquals(List.of(), h.handle("item,10," + ID_A));
        assertEquals(List.of(), h.handle(""));
        assertEquals(List.of(), h.handle("seal"));
        assertEquals(List.of("msg,6100000201" + ID_A), h.handle("initiate"));
        assertEquals(List.of("have," + ID_A, "need," + ID_B, "done"), h.handle("msg,6100000201" + ID_B));
    }

    @Test
    void nip77HarnessServerAlwaysAnswersOneMessage() {
        ConformanceHarness h = new ConformanceHarness(0);
        h.handle("item,10," + ID_A);
        h.handle("seal");
        assertEquals(List.of("msg,61"), h.handle("msg,61"));
        assertEquals(List.of("msg,6100000201" + ID_A), h.handle("msg,6100000200"));
    }

    @Test
    void nip77HarnessRefusesProtocolViolations() {
        assertThrows(IllegalArgumentException.class, () -> new ConformanceHarness(0).handle("bogus"));
        assertThrows(IllegalArgumentException.class, () -> new ConformanceHarness(0).handle("item,1"));
        assertThrows(IllegalArgumentException.class, () -> new ConformanceHarness(0).handle("item,x," + ID_A));
        assertThrows(IllegalArgumentException.class, () -> new ConformanceHarness(0).handle("item,1,abcd"));
        assertThrows(IllegalStateException.class, () -> new ConformanceHarness(0).handle("initiate"));
        assertThrows(IllegalStateException.class, () -> new ConformanceHarness(0).handle("msg,61"));
        ConformanceHarness sealed = new ConformanceHarness(0);
        sealed.handle("seal");
        assertThrows(IllegalStateException.class, () -> sealed.handle("seal"));
        assertThrows(IllegalStateException.class, () -> sealed.handle("item,1," + ID_A));
        assertThrows(NegentropyException.class, () -> sealed.handle("msg,"));
        assertThrows(IllegalArgumentException.class, () -> new ConformanceHarness(100));
    }

    @Test
    void nip77HarnessProgramExitsNonZeroOnFatalErrorsAndZeroAtEndOfInput() {
        try (HarnessPeer.Subprocess ok = (HarnessPeer.Subprocess) HarnessPeer.javaProcess(0)) {
            ok.send("item,10," + ID_A);
            ok.send("seal");
            ok.send("initiate");
            assertEquals("msg,6100000201" + ID_A, ok.readLine());
            assertEquals(0, ok.closeInputAndWait());
        }
        try (HarnessPeer.Subprocess bad = (HarnessPeer.Subprocess) HarnessPeer.javaProcess(0)) {
            bad.send("seal");
            bad.send("msg,6100000300");
            assertEquals(1, bad.closeInputAndWait());
            assertTrue(bad.stderr().contains("line 2: unknown range mode 3"), bad.stderr());
        }
        try (HarnessPeer.Subprocess unknown = (HarnessPeer.Subprocess) HarnessPeer.javaProcess(0)) {
            unknown.send("frobnicate");
            assertEquals(1, unknown.closeInputAndWait());
            assertTrue(unknown.stderr().contains("unknown command: frobnicate"), unknown.stderr());
        }
    }

    @Test
    void nip77HarnessProgramKeepsRepliesUnderFramesizelimit() {
        // Without a limit the answer to this query would list all 1000 ids (32 kB).
        try (HarnessPeer.Subprocess server = (HarnessPeer.Subprocess) HarnessPeer.javaProcess(4096)) {
            for (int i = 0; i < 1000; i++) {
                server.send("item," + (100 + i) + "," + Hex.encode(NegentropyTest.id(i)));
            }
            server.send("seal");
            server.send("msg,6100000200");
            String reply = server.readLine();
            assertTrue(reply.startsWith("msg,61"), reply);
            int bytes = (reply.length() - 4) / 2;
            assertTrue(bytes <= 4096 && bytes > 3000, "reply of " + bytes + " bytes");
            assertEquals(0, server.closeInputAndWait());
        }
    }
}
