package nostr.bench.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about the machine and a process, read from {@code /proc}: the load average
 * (recorded with every figure, since this machine's cores are shared), a process's resident
 * memory and threads, and this process's open-file limit.
 */
public final class HostStats {
    private HostStats() {}

    /** A process's memory: VmRSS and VmHWM in KiB, and its thread count. */
    record ProcessMemory(long pid, long rssKib, long peakRssKib, int threads) {
        double rssMib() {
            return rssKib / 1024.0;
        }
    }

    /** The 1, 5 and 15 minute load averages, or an empty array where /proc is missing. */
    public static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }

    /** Reads /proc/PID/status. */
    static ProcessMemory memory(long pid) throws IOException {
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        return new ProcessMemory(pid, field(status, "VmRSS:"), field(status, "VmHWM:"), (int) field(status, "Threads:"));
    }

    /** CPU time (user + system) a process has used so far, in seconds; -1 when unknown. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14, 15)
            return ticks / 100.0;   // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit on open files of this process, or -1 when unknown. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long field(String status, String name) throws IOException {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                return Long.parseLong(f[0]);
            }
        }
        throw new IOException("no " + name + " in /proc status");
    }
}
