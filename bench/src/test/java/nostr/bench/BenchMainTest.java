package nostr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench jmh} hands its arguments to JMH untouched and finds the generated benchmark list;
 * {@code bench blossom} refuses a half-given reference server before it writes anything.
 */
class BenchMainTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            IntSupplier exec = () -> new CommandLine(new BenchMain()).execute(args);
            int code = exec.getAsInt();
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void jmhListShowsEveryBenchmarkFromTheGeneratedList() {
        Run r = run("jmh", "-l");
        assertEquals(0, r.exitCode(), r.err());
        for (String b : new String[] {"EventBenchmark.verify", "EventBenchmark.sign", "EventBenchmark.parseAndCheckId",
                "Secp256k1Benchmark.rawVerifySchnorr", "Nip44Benchmark.encrypt", "Nip44Benchmark.decrypt"}) {
            assertTrue(r.out().contains("nostr.bench.jmh." + b), r.out());
        }
    }

    @Test
    void jmhPassesOptionsWithValuesThroughAndFiltersByRegexp() {
        Run r = run("jmh", "-l", "-f", "1", "-wi", "2", "-i", "3", "-w", "2s", "-r", "3s", "Secp256k1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("nostr.bench.jmh.Secp256k1Benchmark.rawVerifySchnorr"), r.out());
        assertTrue(!r.out().contains("EventBenchmark"), r.out());
    }

    @Test
    void jmhRejectsABadOptionWithJmhsMessage() {
        Run r = run("jmh", "-f", "notanumber");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("bench jmh: "), r.err());
    }

    @Test
    void blossomRefusesAReferenceUrlWithoutItsRoot(@TempDir Path dir) {
        Run r = run("blossom", "--url", "http://127.0.0.1:9", "--size", "1k", "--dir", dir.toString(),
                "--reference-url", "http://127.0.0.1:9");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("--reference-url and --reference-root go together"), r.err());
        assertFalse(Files.exists(dir.resolve("blob-1024.bin")), "nothing written before the options are checked");
    }

    @Test
    void blossomRefusesAReferenceRootThatIsNoDirectory(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Run r = run("blossom", "--url", "http://127.0.0.1:9", "--size", "1k", "--dir", dir.toString(),
                "--reference-url", "http://127.0.0.1:9", "--reference-root", file.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("--reference-root is not a directory"), r.err());
    }
}
