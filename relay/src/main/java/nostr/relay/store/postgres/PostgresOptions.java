package nostr.relay.store.postgres;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Connection and tuning of the PostgreSQL adapter, validated once. Every knob is documented in
 * relay/README.md ("Storage"). {@link #toString()} never shows the password.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/parrhesia}
 * @param user database role
 * @param password its password ("" for trust or peer authentication)
 * @param schema schema holding the relay's tables (created if missing); lowercase letters, digits, _
 * @param ingestConnections pool for event writes (the group-commit writer, deletions, vanish)
 * @param readConnections pool for REQ and COUNT
 * @param maintenanceConnections pool for migrations, partitions, expiry purge, moderation, groups, admin
 * @param connectionTimeout how long a call waits for a connection before failing (database down: fail fast)
 * @param partitionMonths months per events partition (1 = monthly)
 * @param partitionFloor events created before this day (UTC) go to the default partition
 * @param futurePartitions partitions ahead of the current one that may be created for future timestamps;
 *        later timestamps go to the default partition (and move out when their partition is created)
 */
public record PostgresOptions(String jdbcUrl, String user, String password, String schema, int ingestConnections,
                              int readConnections, int maintenanceConnections, Duration connectionTimeout,
                              int partitionMonths, LocalDate partitionFloor, int futurePartitions) {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(partitionFloor, "partitionFloor");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, got " + jdbcUrl);
        }
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be 1-63 lowercase letters, digits or _, "
                    + "not starting with a digit; got " + schema);
        }
        positive("ingestConnections", ingestConnections);
        positive("readConnections", readConnections);
        positive("maintenanceConnections", maintenanceConnections);
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms (Hikari's minimum), got "
                    + connectionTimeout);
        }
        if (partitionMonths < 1 || partitionMonths > 12 || 12 % partitionMonths != 0) {
            throw new IllegalArgumentException("partitionMonths must divide 12 (1, 2, 3, 4, 6 or 12), got " + partitionMonths);
        }
        if (futurePartitions < 0 || futurePartitions > 120) {
            throw new IllegalArgumentException("futurePartitions must be between 0 and 120, got " + futurePartitions);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1 || v > 1000) {
            throw new IllegalArgumentException(name + " must be between 1 and 1000, got " + v);
        }
    }

    /**
     * Defaults: schema {@code parrhesia}, pools 2 ingest / 8 read / 2 maintenance, 5 s connection
     * timeout, monthly partitions from 2020-01-01, one future partition.
     */
    public static PostgresOptions of(String jdbcUrl, String user, String password) {
        return new PostgresOptions(jdbcUrl, user, password, "parrhesia", 2, 8, 2, Duration.ofSeconds(5), 1,
                LocalDate.of(2020, 1, 1), 1);
    }

    public PostgresOptions withSchema(String s) {
        return new PostgresOptions(jdbcUrl, user, password, s, ingestConnections, readConnections,
                maintenanceConnections, connectionTimeout, partitionMonths, partitionFloor, futurePartitions);
    }

    public PostgresOptions withConnectionTimeout(Duration d) {
        return new PostgresOptions(jdbcUrl, user, password, schema, ingestConnections, readConnections,
                maintenanceConnections, d, partitionMonths, partitionFloor, futurePartitions);
    }

    public PostgresOptions withPartitions(int months, LocalDate floor, int future) {
        return new PostgresOptions(jdbcUrl, user, password, schema, ingestConnections, readConnections,
                maintenanceConnections, connectionTimeout, months, floor, future);
    }

    @Override
    public String toString() {
        return "PostgresOptions[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", schema=" + schema + ", pools=" + ingestConnections + "/" + readConnections + "/"
                + maintenanceConnections + ", connectionTimeout=" + connectionTimeout + ", partitionMonths="
                + partitionMonths + ", partitionFloor=" + partitionFloor + ", futurePartitions=" + futurePartitions + "]";
    }
}
