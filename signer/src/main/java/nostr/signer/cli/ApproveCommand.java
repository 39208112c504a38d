package nostr.signer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.types.UInt64;
import org.nostr.Signer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;
import nostr.signer.files.JsonData;

/**
 * {@code nostr-signer approve}: the terminal approver. Without arguments it lists the pending
 * requests, then asks about each one (and each new one announced by ApprovalRequested) on standard
 * input: {@code y} approve, {@code n} deny, {@code a} always (approve and remember), {@code never}
 * (deny and remember), {@code s} skip. With {@code remember-approvals = true}, {@code y} and
 * {@code n} remember too (the seed's "remember app approvals" setting). With a request id it answers that request
 * and exits; {@code --list} only prints the pending requests.
 */
@Command(name = "approve", description = "Answer pending approval requests from the terminal.")
public final class ApproveCommand implements Callable<Integer> {
    @ParentCommand
    private SignerMain main;

    @Parameters(arity = "0..1", paramLabel = "REQUEST_ID", description = "Answer this request and exit.")
    private String requestId;

    @Option(names = "--deny", description = "Deny instead of approve (with REQUEST_ID).")
    private boolean deny;

    @Option(names = "--remember", description = "Remember the decision for this app, identity and kind.")
    private boolean remember;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "How long to remember (0 = forever; default approval-ttl-hours).")
    private Long ttl;

    @Option(names = "--list", description = "Print the pending requests as JSON and exit.")
    private boolean list;

    @Option(names = "--max", paramLabel = "N", description = "Interactive: exit after answering N requests.")
    private Integer max;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = main.context();
        long ttlSeconds = ttl != null ? ttl : ctx.config().approvalTtl().toSeconds();
        rememberByDefault = ctx.config().rememberApprovals();
        try (SignerClient client = SignerClient.connect(ctx.busAddress())) {
            if (list) {
                ctx.out().println(client.control().ListPendingRequests());
                return 0;
            }
            if (requestId != null) {
                boolean ok = client.signer().ApproveRequest(requestId, !deny, remember, new UInt64(ttlSeconds));
                ctx.out().println(ok ? (deny ? "denied " : "approved ") + requestId : "no pending request " + requestId);
                return ok ? 0 : 1;
            }
            return interactive(ctx, client, ttlSeconds);
        }
    }

    private boolean rememberByDefault;

    private record Request(String id, String appId, String identity, String kind, String preview) {}

    private int interactive(CliContext ctx, SignerClient client, long ttlSeconds) throws DBusException, IOException {
        LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        Set<String> done = ConcurrentHashMap.newKeySet();
        DBusSigHandler<Signer.ApprovalRequested> onRequest = s -> queue.add(
                new Request(s.requestId, s.appId, s.identity, s.kind, s.preview));
        DBusSigHandler<Signer.ApprovalCompleted> onDone = s -> done.add(s.requestId);
        client.bus().addSigHandler(Signer.ApprovalRequested.class, onRequest);
        client.bus().addSigHandler(Signer.ApprovalCompleted.class, onDone);
        for (Object o : (List<?>) JsonData.parse(client.control().ListPendingRequests())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            queue.add(new Request((String) m.get("request_id"), (String) m.get("app_id"), (String) m.get("identity"),
                    (String) m.get("kind"), (String) m.get("preview")));
        }
        PrintStream out = ctx.out();
        out.println("waiting for approval requests (answer y/n/a/never/s; end of input quits)");
        int answered = 0;
        while (max == null || answered < max) {
            Request r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (done.contains(r.id())) {
                continue;
            }
            out.printf("request %s%n  app:      %s%n  identity: %s%n  kind:     %s%n  preview:  %s%n", r.id(), r.appId(),
                    r.identity(), r.kind(), r.preview());
            out.print("approve? [y]es [n]o [a]lways [never] [s]kip: ");
            out.flush();
            String line = ctx.in().readLine();
            if (line == null) {
                return 0;
            }
            String answer = line.strip();
            boolean approve;
            boolean rememberIt;
            switch (answer) {
                case "y", "yes" -> {
                    approve = true;
                    rememberIt = rememberByDefault;
                }
                case "n", "no" -> {
                    approve = false;
                    rememberIt = rememberByDefault;
                }
                case "a", "always" -> {
                    approve = true;
                    rememberIt = true;
                }
                case "never" -> {
                    approve = false;
                    rememberIt = true;
                }
                default -> {
                    out.println("skipped " + r.id());
                    continue;
                }
            }
            boolean ok = client.signer().ApproveRequest(r.id(), approve, rememberIt, new UInt64(ttlSeconds));
            out.println(ok ? (approve ? "approved " : "denied ") + r.id() : "request " + r.id() + " is no longer pending");
            answered++;
        }
        return 0;
    }
}
