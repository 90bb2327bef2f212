package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcTicketStoreBuilderTest {

    @Test
    void aSchemaNameThatIsNoPlainIdentifierIsRefusedBeforeConnecting() {
        for (String bad : new String[] {"", "Tickets", "1st", "a-b", "x; DROP TABLE y", "a".repeat(64)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JdbcTicketStore.builder(new UnusedDataSource()).schema(bad).build());
            assertTrue(e.getMessage().startsWith("schema must be"), e.getMessage());
        }
    }

    @Test
    void theDataSourceIsRequired() {
        assertThrows(NullPointerException.class, () -> JdbcTicketStore.builder(null));
    }

    @Test
    void aDataSourceIsDescribedByItsJdbcUrl() {
        try (com.zaxxer.hikari.HikariDataSource hikari = new com.zaxxer.hikari.HikariDataSource()) {
            hikari.setJdbcUrl("jdbc:postgresql://db.example:5432/tickets");
            assertEquals("jdbc:postgresql://db.example:5432/tickets", DataSourceDescription.of(hikari));
        }
    }

    /** Fails the test if anything asks it for a connection. */
    private static final class UnusedDataSource implements DataSource {
        @Override
        public Connection getConnection() {
            throw new AssertionError("the builder connected before validating its settings");
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
