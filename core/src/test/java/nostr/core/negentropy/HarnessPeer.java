package nostr.core.negentropy;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nostr.core.testing.Repo;

/** One implementation's conformance harness as the driver sees it: lines in, lines out. */
interface HarnessPeer extends AutoCloseable {
    /** Sends one command line. */
    void send(String line);

    /** The next output line; fails when none comes before the deadline. */
    String readLine();

    /** A name for failure messages. */
    String name();

    @Override
    void close();

    /** Our harness, in-process. */
    static HarnessPeer java(long frameSizeLimit) {
        return new InProcess(frameSizeLimit);
    }

    /** The reference JavaScript implementation (interop/negentropy-harness.mjs) under node. */
    static HarnessPeer javascript(long frameSizeLimit) {
        Path dir = Repo.root().resolve("interop");
        if (!Files.isDirectory(dir.resolve("node_modules/@welshman/net"))) {
            throw new IllegalStateException("interop/node_modules is missing @welshman/net: run npm ci --prefix interop");
        }
        return new Subprocess("js", List.of("node", dir.resolve("negentropy-harness.mjs").toString()), dir, frameSizeLimit);
    }

    /** Our harness as its own JVM process, the way bin/negentropy-harness runs it. */
    static HarnessPeer javaProcess(long frameSizeLimit) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes = ConformanceHarness.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return new Subprocess("java-process", List.of(java, "-cp", classes, ConformanceHarness.class.getName()),
                Repo.root(), frameSizeLimit);
    }

    /** Our harness class driven through its line handler. */
    final class InProcess implements HarnessPeer {
        private final ConformanceHarness harness;
        private final ArrayDeque<String> output = new ArrayDeque<>();

        InProcess(long frameSizeLimit) {
            harness = new ConformanceHarness(frameSizeLimit);
        }

        @Override
        public void send(String line) {
            output.addAll(harness.handle(line));
        }

        @Override
        public String readLine() {
            String line = output.poll();
            if (line == null) {
                throw new AssertionError("java harness printed nothing");
            }
            return line;
        }

        @Override
        public String name() {
            return "java";
        }

        @Override
        public void close() {}
    }

    /** A harness program in a child process; stdout lines are read by a thread into a queue. */
    final class Subprocess implements HarnessPeer {
        private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
        private static final String EOF = "\u0000eof";
        private final String name;
        private final Process process;
        private final BufferedWriter stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer stderr = new StringBuffer();

        Subprocess(String name, List<String> command, Path dir, long frameSizeLimit) {
            this.name = name;
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            pb.environment().put("FRAMESIZELIMIT", Long.toString(frameSizeLimit));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII), 1 << 16);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the process went away; EOF below tells the reader
                }
                lines.add(EOF);
            });
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        stderr.append(l).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process went away
                }
            });
        }

        @Override
        public void send(String line) {
            try {
                stdin.write(line);
                stdin.write('\n');
            } catch (IOException e) {
                throw new AssertionError(name + " harness closed its input: " + stderr, e);
            }
        }

        @Override
        public String readLine() {
            try {
                stdin.flush();
            } catch (IOException e) {
                throw new AssertionError(name + " harness closed its input: " + stderr, e);
            }
            try {
                String l = lines.poll(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (l == null) {
                    throw new AssertionError(name + " harness printed nothing within " + READ_TIMEOUT + "; stderr: " + stderr);
                }
                if (l.equals(EOF)) {
                    lines.add(EOF);
                    throw new AssertionError(name + " harness exited: " + exitStatus() + "; stderr: " + stderr);
                }
                return l;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Closes stdin and waits for the exit status (fails after a deadline). */
        int closeInputAndWait() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
            return exitStatus();
        }

        private int exitStatus() {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(name + " harness did not exit");
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        String stderr() {
            return stderr.toString();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void close() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
