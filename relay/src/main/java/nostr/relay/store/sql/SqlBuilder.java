package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * SQL text with its bound parameters kept alongside: values never enter the text, every one is a
 * {@code ?} bound by {@link #bind}. Parameters are {@code Long}, {@code Integer}, {@code String},
 * {@code byte[]} or {@link SqlArray} (a PostgreSQL array, created on the statement's connection).
 */
public final class SqlBuilder {

    /** An SQL array parameter: element type name as the driver knows it ("bytea", "int4", "text"). */
    public record SqlArray(String type, Object[] elements) {}

    private final StringBuilder sql = new StringBuilder(256);
    private final List<Object> params = new ArrayList<>();

    /** Appends SQL text (never a value). */
    public SqlBuilder sql(String text) {
        sql.append(text);
        return this;
    }

    /** Appends one placeholder bound to {@code value}. */
    public SqlBuilder param(Object value) {
        check(value);
        sql.append('?');
        params.add(value);
        return this;
    }

    /** Appends {@code column IN (?, ?, ...)} for a non-empty collection. */
    public SqlBuilder in(String column, Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("IN needs at least one value");
        }
        sql.append(column);
        if (values.size() == 1) {
            sql.append(" = ");
            param(values.iterator().next());
            return this;
        }
        sql.append(" IN (");
        int i = 0;
        for (Object v : values) {
            if (i++ > 0) {
                sql.append(", ");
            }
            param(v);
        }
        sql.append(')');
        return this;
    }

    /** Appends another builder's text and parameters. */
    public SqlBuilder append(SqlBuilder other) {
        sql.append(other.sql);
        params.addAll(other.params);
        return this;
    }

    public String text() {
        return sql.toString();
    }

    public List<Object> params() {
        return List.copyOf(params);
    }

    /** Prepares the statement on {@code c} and binds every parameter. */
    public PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.toString());
        try {
            bind(ps, params, 1);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** Binds {@code values} from parameter index {@code first}. */
    public static void bind(PreparedStatement ps, List<Object> values, int first) throws SQLException {
        int i = first;
        for (Object v : values) {
            switch (v) {
                case Long l -> ps.setLong(i, l);
                case Integer n -> ps.setInt(i, n);
                case String s -> ps.setString(i, s);
                case byte[] b -> ps.setBytes(i, b);
                case SqlArray a -> ps.setArray(i, ps.getConnection().createArrayOf(a.type(), a.elements()));
                default -> throw new IllegalArgumentException("unsupported parameter type " + v.getClass());
            }
            i++;
        }
    }

    private static void check(Object v) {
        if (!(v instanceof Long || v instanceof Integer || v instanceof String || v instanceof byte[]
                || v instanceof SqlArray)) {
            throw new IllegalArgumentException("unsupported parameter type " + (v == null ? "null" : v.getClass()));
        }
    }

    @Override
    public String toString() {
        return sql.toString();
    }
}
