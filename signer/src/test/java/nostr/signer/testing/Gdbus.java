package nostr.signer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code gdbus} (GLib's D-Bus tool, an independent client) against a private bus and parses its
 * GVariant text output for the simple shapes the signer returns: strings, booleans, tuples of them.
 */
public final class Gdbus {
    private static final Pattern ERROR = Pattern.compile("GDBus\\.Error:([A-Za-z0-9_.]+):\\s*(.*)", Pattern.DOTALL);

    private final String address;

    public Gdbus(String address) {
        this.address = address;
    }

    /** Outcome of one gdbus run. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The D-Bus error name of a failed call, or null. */
        public String errorName() {
            Matcher m = ERROR.matcher(stderr);
            return m.find() ? m.group(1) : null;
        }

        public String errorMessage() {
            Matcher m = ERROR.matcher(stderr);
            return m.find() ? m.group(2).strip() : stderr;
        }

        /** The string and boolean values of the reply tuple, in order. */
        public List<Object> values() {
            if (exitCode != 0) {
                throw new AssertionError("gdbus failed: " + stderr);
            }
            return parseTuple(stdout.strip());
        }

        public String string(int i) {
            return (String) values().get(i);
        }
    }

    /** Calls {@code method} of org.nostr.Signer, or a qualified {@code iface.Method}. */
    public Result call(String method, String... args) {
        return callOn(ifaceOf(method), method, args);
    }

    private static String ifaceOf(String method) {
        return method.contains(".") ? method.substring(0, method.lastIndexOf('.')) : "org.nostr.Signer";
    }

    private Result callOn(String iface, String method, String... args) {
        String member = method.contains(".") ? method.substring(method.lastIndexOf('.') + 1) : method;
        List<String> cmd = new ArrayList<>(List.of("gdbus", "call", "--address", address, "--dest", "org.nostr.Signer",
                "--object-path", "/org/nostr/signer", "--timeout", "60", "--method", iface + "." + member));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    public Result introspect() {
        return run(List.of("gdbus", "introspect", "--xml", "--address", address, "--dest", "org.nostr.Signer",
                "--object-path", "/org/nostr/signer"));
    }

    public static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gdbus timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run gdbus: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Quotes a string as a GVariant text literal for gdbus arguments. */
    public static String str(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('\'').toString();
    }

    /** Parses {@code ('a', true)} / {@code ('a',)} / {@code (true,)}: strings and booleans only. */
    static List<Object> parseTuple(String s) {
        List<Object> out = new ArrayList<>();
        if (!s.startsWith("(") || !s.endsWith(")")) {
            throw new AssertionError("not a tuple: " + s);
        }
        int i = 1;
        int end = s.length() - 1;
        while (i < end) {
            char c = s.charAt(i);
            if (c == ' ' || c == ',') {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (s.charAt(i) != c) {
                    if (s.charAt(i) == '\\') {
                        i++;
                        char e = s.charAt(i);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'u' -> {
                                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                                i += 4;
                            }
                            default -> sb.append(e);
                        }
                    } else {
                        sb.append(s.charAt(i));
                    }
                    i++;
                }
                i++;
                out.add(sb.toString());
            } else if (s.startsWith("true", i)) {
                out.add(Boolean.TRUE);
                i += 4;
            } else if (s.startsWith("false", i)) {
                out.add(Boolean.FALSE);
                i += 5;
            } else {
                throw new AssertionError("unsupported GVariant text at " + i + ": " + s);
            }
        }
        return out;
    }
}
