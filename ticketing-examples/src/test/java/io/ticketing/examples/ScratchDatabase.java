package io.ticketing.examples;

import io.ticketing.core.testing.TestEnvironment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own on the test server, created empty and dropped on close, for tests of the example
 * app, whose store always uses the schema {@code ticketing}: runs of other code against the shared test
 * database (another branch, another schema version) never meet its tables.
 */
final class ScratchDatabase implements AutoCloseable {
    private final String name = "it_example_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);

    ScratchDatabase() throws SQLException {
        execute("CREATE DATABASE " + name);
    }

    /** The JDBC URL of this database, with the test user, as {@code --jdbc-url} takes it. */
    String jdbcUrl() {
        String server = TestEnvironment.jdbcUrl();
        String base = server.contains("?") ? server.substring(0, server.indexOf('?')) : server;
        return base.substring(0, base.lastIndexOf('/') + 1) + name + "?user=" + TestEnvironment.jdbcUser();
    }

    @Override
    public void close() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestEnvironment.jdbcUrl(), TestEnvironment.jdbcUser(), "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
