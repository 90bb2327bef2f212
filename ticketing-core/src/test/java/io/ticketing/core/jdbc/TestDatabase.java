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

    /** Empties every table of the schema. */
    void truncate() {
        execute("TRUNCATE " + schema + ".events, " + schema + ".subsection_counters, " + schema + ".tickets, "
                + schema + ".reservations, " + schema + ".reservation_seats, " + schema + ".idempotency_keys");
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
