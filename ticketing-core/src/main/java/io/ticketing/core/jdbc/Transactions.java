package io.ticketing.core.jdbc;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work on connections of the host's {@link DataSource} and turns SQL failures into
 * {@link TicketingException}s: a database that cannot be reached becomes {@link ErrorCode#UNAVAILABLE},
 * anything else {@link ErrorCode#INTERNAL}. A write runs in one transaction, rolled back on any failure,
 * and is retried when PostgreSQL reports a serialization failure or a deadlock.
 */
final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);
    private static final int MAX_ATTEMPTS = 3;
    /** 40001 serialization_failure, 40P01 deadlock_detected: rolled back, safe to run again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    /**
     * Besides class 08 (connection exception): admin/crash shutdown, cannot connect now, too many
     * connections, out of memory, statement or lock timeout, idle-in-transaction timeout.
     */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300", "53200", "57014",
            "55P03", "25P03");

    private final DataSource dataSource;
    private final String url;
    private final AtomicBoolean down = new AtomicBoolean();

    Transactions(DataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    /** Runs {@code work} in one transaction and commits it. */
    <T> T write(String operation, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                T result = inTransaction(work, false);
                up();
                return result;
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && RETRYABLE.contains(e.getSQLState())) {
                    log.debug("{} was rolled back ({}); attempt {} of {}", operation, e.getMessage(), attempt + 1,
                            MAX_ATTEMPTS);
                    continue;
                }
                throw translate(operation, e);
            }
        }
    }

    /** Runs {@code work} without a transaction of its own: for single statements that only read. */
    <T> T read(String operation, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            T result = work.run(connection);
            up();
            return result;
        } catch (SQLException e) {
            throw translate(operation, e);
        }
    }

    /**
     * Runs {@code work}, which only reads, in one read-only {@code REPEATABLE READ} transaction: every
     * statement of it sees the same snapshot of the database.
     */
    <T> T snapshot(String operation, SqlWork<T> work) {
        try {
            T result = inTransaction(work, true);
            up();
            return result;
        } catch (SQLException e) {
            throw translate(operation, e);
        }
    }

    /** Whether a connection can be had and answers within a second. */
    boolean probe() {
        try (Connection connection = dataSource.getConnection()) {
            boolean valid = connection.isValid(1);
            if (valid) {
                up();
            }
            return valid;
        } catch (SQLException e) {
            if (isUnavailable(e)) {
                down(e);
            }
            return false;
        }
    }

    /**
     * Runs {@code work} in one transaction on a connection of its own, commits it, rolls it back on any
     * failure; a {@code readOnlySnapshot} one is read-only at {@code REPEATABLE READ}. The connection goes back
     * to the pool with its auto-commit, isolation level and read-only flag as it found them.
     */
    private <T> T inTransaction(SqlWork<T> work, boolean readOnlySnapshot) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            int isolation = readOnlySnapshot ? connection.getTransactionIsolation() : 0;
            connection.setAutoCommit(false);
            try {
                if (readOnlySnapshot) {
                    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    connection.setReadOnly(true);
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                if (readOnlySnapshot) {
                    restore(connection, isolation);
                } else {
                    restoreAutoCommit(connection);
                }
            }
        }
    }

    private static void restore(Connection connection, int isolation) {
        try {
            connection.setReadOnly(false);
            connection.setTransactionIsolation(isolation);
        } catch (SQLException e) {
            log.debug("Could not restore the isolation level of a connection that failed", e);
        }
        restoreAutoCommit(connection);
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            log.debug("Could not restore auto-commit on a connection that failed", e);
        }
    }

    private TicketingException translate(String operation, SQLException e) {
        if (isUnavailable(e)) {
            down(e);
            return TicketingException.unavailable("the ticket store is unavailable; try again later", e);
        }
        return new TicketingException(ErrorCode.INTERNAL, operation + " failed in PostgreSQL (SQLState "
                + e.getSQLState() + "): " + e.getMessage(), null, e);
    }

    /** Logs once per outage, not once per failed request. */
    private void down(SQLException e) {
        if (down.compareAndSet(false, true)) {
            log.warn("PostgreSQL at {} is unavailable: {}", url, e.getMessage());
        }
    }

    private void up() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("PostgreSQL at {} is available again", url);
        }
    }

    /** Whether {@code e} (or an exception it wraps) says the database cannot be reached or cannot serve now. */
    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE.contains(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
