package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.Ticketing;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.TestEnvironment;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.SeatChurn;
import io.ticketing.servlet.testing.SeatMapView;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The live seat map over real HTTP on the PostgreSQL store (a schema of its own on the test database): a
 * client that applies {@code seat_map} and {@code seat_changes} in order ends equal to the seats endpoint,
 * under 200 concurrent reservations, confirmations and cancellations, for a live and a stalled reader.
 * The in-memory store runs the same check in {@link AbstractTicketingHttpIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractPostgresSeatMapHttpIT {
    private static final User SELLER = User.seller(3);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String schema = "it_seatmap_http_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private HikariDataSource dataSource;
    private Ticketing ticketing;
    private TestServer server;
    private ApiClient api;

    /** Starts this container with {@code http} mounted under {@code /api}. */
    abstract TestServer start(TicketingHttp http) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestEnvironment.jdbcUrl());
        config.setUsername(TestEnvironment.jdbcUser());
        config.setMaximumPoolSize(10);
        dataSource = new HikariDataSource(config);
        ticketing = Ticketing.builder().store(JdbcTicketStore.builder(dataSource).schema(schema).build()).build();
        server = start(AbstractTicketingHttpIT.settings(ticketing).build());
        api = new ApiClient(server);
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            server.close();
            ticketing.close();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } finally {
            dataSource.close();
        }
    }

    @Test
    void seatMapStreamEndsEqualToTheSeatsEndpointUnder200ConcurrentReservationsAndAStalledReader() throws Exception {
        long id = ticketing.events().create(SELLER, Drafts.available("Hot", 25, 20, "A", "B")).id();
        try (SseRecorder live = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1,B:1"));
             SseRecorder stalled = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))) {
            SeatMapView liveView = new SeatMapView(live);
            SeatMapView stalledView = new SeatMapView(stalled);
            long start = ticketing.statistics().current(id, null).version();
            liveView.readUntil(start, WAIT);
            stalledView.readUntil(start, WAIT);
            stalled.pause();
            SeatChurn.run(ticketing, id, 200);
            long last = ticketing.statistics().current(id, null).version();
            liveView.readUntil(last, WAIT);
            stalled.resume();
            stalledView.readUntil(last, WAIT);
            for (String key : List.of("A:1", "B:1")) {
                String endpoint = SeatMapView.codes(api.get("/events/" + id + "/sections/" + key.charAt(0)
                        + "/subsections/1/seats", null).json());
                assertEquals(endpoint, liveView.seats(key), key);
                if (key.equals("A:1")) {
                    assertEquals(endpoint, stalledView.seats(key), key + " of the stalled reader");
                }
            }
        }
    }
}
