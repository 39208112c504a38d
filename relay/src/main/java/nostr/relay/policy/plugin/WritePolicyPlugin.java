package nostr.relay.policy.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external write-policy program ({@code write_policy_plugin}), spoken to with strfry's
 * plugin protocol ({@link PluginProtocol}): one request line per event on its stdin, one answer
 * line per event on its stdout, matched by event id, so it may answer out of order. Its stderr
 * goes to the relay's log.
 *
 * <p>Failure handling, so that a broken plugin never lets the relay hang:
 * <ul>
 *   <li>every request has a deadline ({@code write_policy_plugin_timeout_ms}); a request that
 *       misses it gets {@link PluginVerdict.Failed}, and the process is presumed stuck and killed;</li>
 *   <li>when the process dies (or is killed) every request it still owed gets
 *       {@link PluginVerdict.Failed}, and the next event starts a new process;</li>
 *   <li>a process that died within a second of starting without answering anything is not
 *       restarted for the rest of that second (a crash loop does not fork at event rate).</li>
 * </ul>
 * What a {@code Failed} verdict means (reject or accept) is the caller's setting.
 */
public final class WritePolicyPlugin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WritePolicyPlugin.class);
    private static final long CRASH_LOOP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String command;
    private final long timeoutMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("write-policy-timeouts").daemon(true).factory());
    private final Object lock = new Object();
    private final AtomicInteger starts = new AtomicInteger();
    private Instance current;
    private long lastStartNanos;
    private boolean lastDiedYoung;
    private String unavailableReason = "could not be started";
    private boolean closed;

    public WritePolicyPlugin(PolicyConfig.Plugin settings) {
        if (!settings.configured()) {
            throw new IllegalArgumentException("write_policy_plugin is empty");
        }
        this.command = settings.command();
        this.timeoutMillis = settings.timeout().toMillis();
    }

    /** How many processes have been started so far. */
    public int starts() {
        return starts.get();
    }

    /**
     * Asks the plugin about one (verified) event. {@code answer} runs exactly once, on another
     * thread (or this one when the plugin cannot be reached at all).
     */
    public void decide(WriteRequest r, Consumer<PluginVerdict> answer) {
        String id = r.event().id();
        Pending pending = new Pending(answer);
        Instance inst;
        String unavailable = null;
        synchronized (lock) {
            inst = closed ? null : running();
            if (inst == null) {
                unavailable = closed ? "is shutting down" : unavailableReason;
            } else {
                inst.pending.computeIfAbsent(id, k -> new ArrayDeque<>()).add(pending);
                Instance target = inst;
                pending.timeout = timer.schedule(() -> timedOut(target, id, pending), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
        if (inst == null) {
            pending.complete(new PluginVerdict.Failed(unavailable));
            return;
        }
        String line = PluginProtocol.request(r);
        try {
            synchronized (inst.stdin) {
                inst.stdin.write(line);
                inst.stdin.write('\n');
                inst.stdin.flush();
            }
        } catch (IOException e) {
            died(inst, "stopped reading its input (" + e.getMessage() + ")", false);
        }
    }

    @Override
    public void close() {
        Instance inst;
        synchronized (lock) {
            closed = true;
            inst = current;
        }
        if (inst != null) {
            died(inst, "is shutting down", true);
        }
        timer.shutdownNow();
    }

    // ---- process life ------------------------------------------------------------------------

    /** The live process, started if needed; null when it cannot run now. Holds {@link #lock}. */
    private Instance running() {
        if (current != null) {
            return current;
        }
        long now = System.nanoTime();
        if (lastDiedYoung && now - lastStartNanos < CRASH_LOOP_NANOS) {
            unavailableReason = "died right after starting and is not restarted for a second";
            return null;
        }
        try {
            Process p = new ProcessBuilder("sh", "-c", command).start();
            lastStartNanos = now;
            starts.incrementAndGet();
            Instance inst = new Instance(p, now);
            current = inst;
            Thread.ofVirtual().name("write-policy-out").start(() -> readAnswers(inst));
            Thread.ofVirtual().name("write-policy-err").start(() -> logErrors(inst));
            LOG.info("write policy plugin started (pid {}): {}", p.pid(), command);
            return inst;
        } catch (IOException e) {
            LOG.warn("cannot start the write policy plugin '{}': {}", command, e.getMessage());
            unavailableReason = "could not be started (" + e.getMessage() + ")";
            lastStartNanos = now;
            lastDiedYoung = true;
            return null;
        }
    }

    private void readAnswers(Instance inst) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(inst.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                PluginProtocol.Answer a;
                try {
                    a = PluginProtocol.parse(line);
                } catch (IllegalArgumentException e) {
                    LOG.warn("write policy plugin sent a line the relay cannot use ({}): {}", e.getMessage(),
                            line.length() > 200 ? line.substring(0, 200) + "..." : line);
                    continue;
                }
                Pending p;
                synchronized (lock) {
                    inst.answered = true;
                    ArrayDeque<Pending> q = inst.pending.get(a.id());
                    p = q == null ? null : q.poll();
                    if (q != null && q.isEmpty()) {
                        inst.pending.remove(a.id());
                    }
                }
                if (p == null) {
                    LOG.debug("write policy plugin answered {} which nothing waits for (late or unknown)", a.id());
                } else {
                    p.complete(a.verdict());
                }
            }
        } catch (IOException e) {
            LOG.debug("reading the write policy plugin's output failed: {}", e.toString());
        }
        String status;
        try {
            status = inst.process.waitFor(1, TimeUnit.SECONDS) ? "exited with status " + inst.process.exitValue() : "closed its output";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "closed its output";
        }
        died(inst, status, false);
    }

    private void logErrors(Instance inst) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(inst.process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                LOG.warn("write policy plugin: {}", line);
            }
        } catch (IOException e) {
            LOG.debug("reading the write policy plugin's stderr failed: {}", e.toString());
        }
    }

    private void timedOut(Instance inst, String id, Pending pending) {
        boolean waiting;
        synchronized (lock) {
            ArrayDeque<Pending> q = inst.pending.get(id);
            waiting = q != null && q.remove(pending);
            if (q != null && q.isEmpty()) {
                inst.pending.remove(id);
            }
        }
        if (waiting) {
            // Forgotten first, answered second: whoever reacts to this answer finds the stuck process gone.
            died(inst, "did not answer within " + timeoutMillis + " ms and was stopped", true);
            pending.complete(new PluginVerdict.Failed("did not answer within " + timeoutMillis + " ms"));
        }
    }

    /**
     * Ends an instance (once): fails what it owed, forgets it, kills the process.
     *
     * @param stopped true when the relay stopped it (timeout, shutdown), false when it died by itself
     */
    private void died(Instance inst, String why, boolean stopped) {
        List<Pending> owed = new ArrayList<>();
        synchronized (lock) {
            if (inst.dead) {
                return;
            }
            inst.dead = true;
            if (current == inst) {
                current = null;
            }
            lastDiedYoung = !stopped && !inst.answered && System.nanoTime() - inst.startedNanos < CRASH_LOOP_NANOS;
            for (ArrayDeque<Pending> q : inst.pending.values()) {
                owed.addAll(q);
            }
            inst.pending.clear();
        }
        // sh -c may run the program as its child: end the whole tree, not just the shell.
        inst.process.descendants().forEach(ProcessHandle::destroyForcibly);
        inst.process.destroyForcibly();
        if (!closed) {
            LOG.warn("write policy plugin {}; {} event(s) were waiting for it; it starts again with the next event", why, owed.size());
        }
        for (Pending p : owed) {
            p.complete(new PluginVerdict.Failed(why));
        }
    }

    /** One running process and the requests it owes answers to (by event id, oldest first). */
    private static final class Instance {
        final Process process;
        final Writer stdin;
        final long startedNanos;
        final Map<String, ArrayDeque<Pending>> pending = new HashMap<>();
        boolean answered;
        boolean dead;

        Instance(Process process, long startedNanos) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.startedNanos = startedNanos;
        }
    }

    /** One request waiting for its answer; completed exactly once, on a virtual thread. */
    private static final class Pending {
        final Consumer<PluginVerdict> answer;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Pending(Consumer<PluginVerdict> answer) {
            this.answer = answer;
        }

        void complete(PluginVerdict v) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            Thread.startVirtualThread(() -> answer.accept(v));
        }
    }
}
