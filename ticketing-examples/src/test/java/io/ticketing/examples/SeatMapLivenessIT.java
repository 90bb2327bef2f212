package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.Ticketing;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.redis.RedisTicketStore;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.TestEnvironment;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.jetty.TicketingJetty;
import io.ticketing.servlet.testing.SeatMapView;
import io.ticketing.servlet.testing.SseRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A stream that alone names its subsection gets its {@code seat_map}, and seat frames of ever newer versions,
 * while the event changes without a pause, and ends equal to the seats endpoint, on each store: the node's
 * re-reads of the subsection must serve it although the snapshots that the broadcaster conflates keep leaving
 * gaps behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeatMapLivenessIT {
    /** The bound for seat frames to arrive in the rush: 20 busy-event intervals, on a loaded 2-core machine. */
    private static final Duration MAP_WITHIN = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int BUYER_THREADS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void inMemoryStore() throws Exception {
        try (TicketStore store = InMemoryTicketStore.builder().build()) {
            aLoneSeatMapStreamGetsItsMapDuringASustainedRushAndConverges(store);
        }
    }

    @Test
    void postgresStore() throws Exception {
        try (ScratchDatabase database = new ScratchDatabase(); HikariDataSource pool = pool(database.jdbcUrl());
             TicketStore store = JdbcTicketStore.builder(pool).build()) {
            aLoneSeatMapStreamGetsItsMapDuringASustainedRushAndConverges(store);
        }
    }

    @Test
    void redisStore() throws Exception {
        String prefix = "it-liveness-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        try (TicketStore store = RedisTicketStore.builder(TestEnvironment.redisUri().toString()).keyPrefix(prefix)
                .clientName("it-liveness").maxConnections(BUYER_THREADS + 4).build()) {
            aLoneSeatMapStreamGetsItsMapDuringASustainedRushAndConverges(store);
        } finally {
            deleteKeys(prefix);
        }
    }

    private static void aLoneSeatMapStreamGetsItsMapDuringASustainedRushAndConverges(TicketStore store)
            throws Exception {
        try (Ticketing ticketing = Ticketing.builder().store(store).build();
             Api server = Api.start(TicketingHttp.builder(ticketing).build())) {
            long id = ticketing.events().create(User.seller(3), new EventDraft("Rush", null, null,
                    EventStatus.AVAILABLE, new SeatingConfig(25, 20, List.of(new Section("A", 1000, 2))))).id();
            AtomicBoolean rush = new AtomicBoolean(true);
            AtomicInteger changes = new AtomicInteger();
            ExecutorService buyers = Executors.newFixedThreadPool(BUYER_THREADS);
            List<Future<?>> runs = new ArrayList<>();
            try {
                for (int t = 0; t < BUYER_THREADS; t++) {
                    User buyer = User.buyer(100 + t);
                    int quantity = 1 + t % 3;
                    runs.add(buyers.submit(() -> {
                        for (int i = 0; rush.get() && i < 1_000_000; i++) {
                            String rid = ticketing.reservations().reserve(id,
                                    ReservationRequest.bestAvailable("A", 1, quantity), null, buyer).reservation().id();
                            if (i % 4 == 0) {
                                ticketing.reservations().confirm(rid, "pay-" + i, buyer);
                                changes.incrementAndGet();
                            }
                            ticketing.reservations().cancel(rid, buyer); // a refund, if confirmed
                            changes.addAndGet(2);
                        }
                        return null;
                    }));
                }
                awaitChanges(changes, 200);
                try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))) {
                    assertEquals(200, sse.status());
                    SeatMapView view = new SeatMapView(sse);
                    awaitSeatFrame(sse, view, "seat_map", Long.MIN_VALUE, runs);
                    for (int round = 0; round < 10; round++) {
                        long now = ticketing.statistics().current(id, null).version();
                        awaitSeatFrame(sse, view, "seat_", now, runs);
                    }

                    rush.set(false);
                    for (Future<?> run : runs) {
                        run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    }
                    long last = ticketing.statistics().current(id, null).version();
                    view.readUntil(last, PATIENCE);
                    assertEquals(seatsEndpoint(server.uri("/events/" + id + "/sections/A/subsections/1/seats")),
                            view.seats("A:1"), "the stream's seats equal the endpoint's at version " + last);
                }
            } finally {
                rush.set(false);
                buyers.shutdown();
                assertTrue(buyers.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
        }
    }

    /** The API mounted at {@code /api} in an embedded Jetty on an ephemeral loopback port. */
    private record Api(Server jetty, URI base) implements AutoCloseable {
        static Api start(TicketingHttp http) throws Exception {
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            TicketingJetty.mount(context, "/api", http);
            jetty.setHandler(context);
            jetty.start();
            return new Api(jetty, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api"));
        }

        URI uri(String path) {
            return URI.create(base + path);
        }

        @Override
        public void close() throws Exception {
            jetty.stop();
        }
    }

    /**
     * Applies events until a frame whose type starts with {@code type} and whose version is at least
     * {@code version} has come, within {@link #MAP_WITHIN}; the buyers must still be at it.
     */
    private static void awaitSeatFrame(SseRecorder sse, SeatMapView view, String type, long version,
                                       List<Future<?>> rush) throws Exception {
        long deadline = System.nanoTime() + MAP_WITHIN.toNanos();
        SseRecorder.Message m;
        do {
            m = sse.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            view.apply(m);
        } while (!m.event().startsWith(type) || JSON.readTree(m.data()).get("version").asLong() < version);
        for (Future<?> buyer : rush) {
            if (buyer.isDone()) {
                buyer.get(); // a buyer that failed says why
            }
        }
        assertTrue(rush.stream().noneMatch(Future::isDone), m.event() + " of version " + version
                + " or later came while the event kept changing");
    }

    private static void awaitChanges(AtomicInteger changes, int atLeast) {
        Await.until(() -> changes.get() >= atLeast, PATIENCE, "the rush started");
    }

    private static String seatsEndpoint(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return SeatMapView.codes(JSON.readTree(response.body()));
    }

    private static HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(BUYER_THREADS + 4);
        config.setConnectionTimeout(5_000);
        config.setPoolName("it-liveness");
        return new HikariDataSource(config);
    }

    private static void deleteKeys(String prefix) {
        URI uri = TestEnvironment.redisUri();
        try (Jedis jedis = new Jedis(uri)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                for (String key : page.getResult()) {
                    jedis.del(key);
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
