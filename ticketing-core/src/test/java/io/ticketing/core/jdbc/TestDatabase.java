package io.ticketing.core.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.testing.TestEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh schema of its own on the shared test database, with a small HikariCP pool whose connections
 * carry a unique {@code ApplicationName} (so a test can find and kill exactly its own backends). Closing
 * drops the schema and the pool. Tests running elsewhere against the same server never see its data.
 */
final class TestDatabase implements AutoCloseable {
    private final String schema;
    private final HikariDataSource dataSource;

    private TestDatabase(String purpose, int poolSize) {
        this.schema = "it_" + purpose + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        this.dataSource = pool(TestEnvironment.jdbcUrl(), schema, poolSize);
    }

    static TestDatabase create(String purpose) {
        return new TestDatabase(purpose, 4);
    }

    static TestDatabase create(String purpose, int poolSize) {
        return new TestDatabase(purpose, poolSize);
    }

    /** A pool on {@code jdbcUrl} that fails fast: 2 s to get a connection, connections named {@code appName}. */
    static HikariDataSource pool(String jdbcUrl, String appName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(TestEnvironment.jdbcUser());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("it-" + appName);
        config.addDataSourceProperty("ApplicationName", appName);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "30");
        return new HikariDataSource(config);
    }

    String schema() {
        return schema;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** A store on this schema, migrating it on first use. */
    JdbcTicketStore newStore() {
        return JdbcTicketStore.builder(dataSource).schema(schema).build();
    }

    /** A store whose events keep their last {@code changeLogSize} changes once older than {@code changeLogAge}. */
    JdbcTicketStore newStore(int changeLogSize, java.time.Duration changeLogAge) {
        return JdbcTicketStore.builder(dataSource).schema(schema).changeLogSize(changeLogSize)
                .changeLogAge(changeLogAge).build();
    }

    /** Empties every table of the schema (DELETE: cheaper than TRUNCATE for the few rows tests leave). */
    void truncate() {
        for (String table : new String[] {"idempotency_keys", "reservation_seats", "reservations", "tickets",
                "seat_rows", "subsection_counters", "event_changes", "events"}) {
            execute("DELETE FROM " + schema + "." + table);
        }
    }

    /**
     * Asserts that the stored state is consistent: no seat in two live reservations, every seat's status
     * that of the live reservation holding it (or available), every event's subsection counts equal to a
     * count of the subsections' seats, every event's totals their sums, and every seat row's bits and mask
     * (best available's) those of its seats.
     */
    void assertConsistent() {
        String s = schema;
        assertZero("seats in two live reservations", "SELECT count(*) FROM (SELECT r.event_id, rs.seat_id FROM "
                + s + ".reservation_seats rs JOIN " + s + ".reservations r ON r.id = rs.reservation_id "
                + "WHERE r.status IN ('held', 'confirmed') GROUP BY 1, 2 HAVING count(*) > 1) x");
        assertZero("seats whose status disagrees with their reservation", "SELECT count(*) FROM " + s + ".tickets t "
                + "LEFT JOIN (SELECT r.event_id, rs.seat_id, CASE r.status WHEN 'held' THEN 'reserved' ELSE 'sold' END "
                + "AS expected FROM " + s + ".reservation_seats rs JOIN " + s + ".reservations r ON r.id = rs.reservation_id "
                + "WHERE r.status IN ('held', 'confirmed')) l ON l.event_id = t.event_id AND l.seat_id = t.seat_id "
                + "WHERE t.status <> coalesce(l.expected, 'available')");
        assertZero("events whose subsection counts are not one per subsection", "SELECT count(*) FROM " + s
                + ".events e WHERE (SELECT count(*) FROM " + s + ".subsection_counters c WHERE c.event_id = e.id) "
                + "NOT IN (cardinality(e.sub_remaining), cardinality(e.sub_allocated), cardinality(e.sub_confirmed)) "
                + "OR cardinality(e.sub_remaining) <> cardinality(e.sub_allocated) "
                + "OR cardinality(e.sub_remaining) <> cardinality(e.sub_confirmed)");
        assertZero("subsection counts that disagree with the seats", "SELECT count(*) FROM " + s + ".subsection_counters c "
                + "JOIN " + s + ".events e ON e.id = c.event_id WHERE ROW(e.sub_remaining[c.block_no + 1], "
                + "e.sub_allocated[c.block_no + 1], e.sub_confirmed[c.block_no + 1]) IS DISTINCT FROM (SELECT ROW("
                + "count(*) FILTER (WHERE status = 'available')::int, count(*) FILTER (WHERE status = 'reserved')::int, "
                + "count(*) FILTER (WHERE status = 'sold')::int) FROM " + s + ".tickets t WHERE t.event_id = c.event_id "
                + "AND t.section = c.section AND t.subsection = c.subsection)");
        assertZero("event totals that disagree with the subsection counts", "SELECT count(*) FROM " + s + ".events e "
                + "WHERE ROW(e.remaining, e.allocated, e.confirmed) IS DISTINCT FROM (SELECT ROW("
                + "(SELECT coalesce(sum(x), 0)::int FROM unnest(e.sub_remaining) x), "
                + "(SELECT coalesce(sum(x), 0)::int FROM unnest(e.sub_allocated) x), "
                + "(SELECT coalesce(sum(x), 0)::int FROM unnest(e.sub_confirmed) x)))");
        assertZero("buyer seat counts that disagree with the buyers' live reservations", "SELECT count(*) FROM "
                + "(SELECT event_id, buyer_id, seats FROM " + s + ".buyer_seats WHERE seats <> 0) b FULL JOIN "
                + "(SELECT r.event_id, r.buyer_id, count(*)::int AS seats FROM " + s + ".reservations r JOIN " + s
                + ".reservation_seats rs ON rs.reservation_id = r.id WHERE r.status IN ('held', 'confirmed') "
                + "GROUP BY 1, 2) l ON l.event_id = b.event_id AND l.buyer_id = b.buyer_id "
                + "WHERE b.seats IS DISTINCT FROM l.seats");
        assertZero("seat rows whose bits, mask or fits disagree with the seats", "SELECT count(*) FROM " + s + ".seat_rows r "
                + "FULL JOIN (SELECT event_id, section, subsection, row_no, min(seat_id) - min(seat_no) + 1 AS first_seat_id, "
                + "string_agg((status = 'available')::int::text, '' ORDER BY seat_no)::varbit AS free FROM " + s
                + ".tickets GROUP BY 1, 2, 3, 4) t ON t.event_id = r.event_id AND t.section = r.section "
                + "AND t.subsection = r.subsection AND t.row_no = r.row_no "
                + "WHERE ROW(r.first_seat_id, r.free, r.mask, r.open, r.fits) IS DISTINCT FROM ROW(t.first_seat_id, t.free, "
                + s + ".row_mask(t.free), " + s + ".row_mask(t.free) <> 0, ((" + s + ".row_mask(t.free) >> 1) & 15)::smallint)");
    }

    private void assertZero(String what, String sql) {
        long found = queryLong(sql);
        if (found != 0) {
            throw new AssertionError(found + " " + what);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row of a query, as a long. */
    long queryLong(String sql) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        try {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } finally {
            dataSource.close();
        }
    }
}
