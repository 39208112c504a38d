package nostr.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import nostr.relay.metrics.RelayMetrics;

/** Reads one sample of the relay's Prometheus text (what {@code /metrics} serves). */
public final class MetricsText {
    private MetricsText() {}

    /** The value of the sample {@code name{labels}} (exactly as written, e.g. {@code x_total{nip="nip09"}}), 0 if absent. */
    public static double value(RelayMetrics metrics, String sample) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            metrics.writeText(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).strip());
            }
        }
        return 0;
    }
}
