package nostr.signer.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private session bus for one test class: {@code dbus-daemon --nofork} with a generated config in a
 * temporary directory (a unix socket there, optional service directories for activation). The host's
 * bus is never touched; {@link #close} kills the daemon by PID.
 */
public final class PrivateBus implements AutoCloseable {
    private final Process process;
    private final String address;
    private final Path dir;

    private PrivateBus(Process process, String address, Path dir) {
        this.process = process;
        this.address = address;
        this.dir = dir;
    }

    /**
     * Starts a bus in {@code dir}.
     *
     * @param serviceDirs directories of {@code .service} files for activation
     * @param env environment for the daemon (and so for services it activates)
     */
    public static PrivateBus start(Path dir, List<Path> serviceDirs, Map<String, String> env) throws IOException {
        return start(dir, serviceDirs, env, false);
    }

    /**
     * @param anyUser let other Unix users connect (a session bus admits only its owner by default);
     *     the socket's directory is made traversable for them
     */
    public static PrivateBus start(Path dir, List<Path> serviceDirs, Map<String, String> env, boolean anyUser)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder services = new StringBuilder();
        for (Path s : serviceDirs) {
            services.append("  <servicedir>").append(s.toAbsolutePath()).append("</servicedir>\n");
        }
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                %s  <policy context="default">%s
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(dir.resolve("bus").toAbsolutePath(), services, anyUser ? "\n    <allow user=\"*\"/>" : ""));
        ProcessBuilder pb = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1");
        pb.environment().putAll(env);
        pb.redirectError(dir.resolve("dbus-daemon.log").toFile());
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String address = r.readLine();
        if (address == null || !address.startsWith("unix:")) {
            p.destroyForcibly();
            throw new IOException("dbus-daemon did not print its address: " + Files.readString(dir.resolve("dbus-daemon.log")));
        }
        return new PrivateBus(p, address.strip(), dir);
    }

    public static PrivateBus start(Path dir) throws IOException {
        return start(dir, List.of(), Map.of());
    }

    public String address() {
        return address;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }

    /** Stops started processes by PID: SIGTERM, then SIGKILL after a grace period. */
    public static final class Processes {
        private Processes() {}

        public static void stop(Process p) {
            if (!p.isAlive()) {
                return;
            }
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
