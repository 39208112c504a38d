package nostr.signer.cli;

import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import nostr.signer.SignerMain;
import nostr.signer.config.SignerConfig;
import nostr.signer.daemon.SignerDaemon;

/** {@code nostr-signer daemon}: owns org.nostr.Signer on the session bus until stopped (SIGTERM). */
@Command(name = "daemon", description = "Run the signer daemon on the session bus (the default command).")
public final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    private SignerMain main;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = main.context();
        SignerConfig config = ctx.config();
        SignerDaemon daemon = SignerDaemon.start(config, ctx.busAddress(), InstantSource.system(), main.bunkerTransport());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "signer-shutdown"));
        stopped.await();
        return 0;
    }
}
