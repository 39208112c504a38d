package nostr.relay.store.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import nostr.relay.store.WriteStatus;

/**
 * Child process of {@link SqliteKillTest}: writes batches to the SQLite store in the given
 * directory until killed, printing "ACK id" for each event once write() has returned STORED.
 */
public final class SqliteKillWriter {
    private SqliteKillWriter() {}

    public static void main(String[] args) throws Exception {
        SecretKey key = SecretKey.generate();
        try (SqliteStorage s = SqliteStorage.open(Path.of(args[0]), SqliteOptions.defaults())) {
            System.out.println("READY");
            System.out.flush();
            for (long n = 0; ; n++) {
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    batch.add(new EventTemplate(1_700_000_000L + n, 1, List.of(List.of("t", "kill")), "n" + n + "/" + i).sign(key));
                }
                List<WriteStatus> st = s.events().write(batch);
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < batch.size(); i++) {
                    if (st.get(i) == WriteStatus.STORED) {
                        out.append("ACK ").append(batch.get(i).id()).append('\n');
                    }
                }
                System.out.print(out);
                System.out.flush();
            }
        }
    }
}
