package io.ticketing.servlet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.Ticketing;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.TestEnvironment;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The live seat map over real HTTP on the PostgreSQL store (a schema of its own on the test database): a
 * client that applies {@code seat_map} and {@code seat_changes} in order ends equal to the seats endpoint,
 * under 200 concurrent reservations, confirmations and cancellations, for a live and a stalled reader.
 * The in-memory store runs the same check in {@link AbstractTicketingHttpIT}.
 */
abstract class AbstractPostgresSeatMapHttpIT extends AbstractHttpIT {
    private final String schema = "it_seatmap_http_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private HikariDataSource dataSource;

    @Override
    Ticketing newTicketing() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestEnvironment.jdbcUrl());
        config.setUsername(TestEnvironment.jdbcUser());
        config.setMaximumPoolSize(10);
        dataSource = new HikariDataSource(config);
        return Ticketing.builder().store(JdbcTicketStore.builder(dataSource).schema(schema).build()).build();
    }

    /** Stops the server, then drops the schema and closes the pool. */
    @AfterAll
    @Override
    void stopServer() throws Exception {
        try {
            super.stopServer();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } finally {
            dataSource.close();
        }
    }

    @Test
    void seatMapStreamEndsEqualToTheSeatsEndpointUnder200ConcurrentReservationsAndAStalledReader() throws Exception {
        assertSeatMapStreamsEndOnTheSeatsEndpointUnderChurn(newEvent(Drafts.available("Hot", 25, 20, "A", "B")),
                Duration.ofSeconds(30));
    }
}
