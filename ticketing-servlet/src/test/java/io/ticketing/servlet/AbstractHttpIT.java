package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.SeatChurn;
import io.ticketing.servlet.testing.SeatMapView;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import io.ticketing.servlet.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@link Ticketing} served over real HTTP under {@code /api} by the servlet container a subclass starts,
 * shared by the tests of a class: started before the first test, stopped (the container, then the
 * {@code Ticketing}) after the last. A class changes what is served through {@link #newTicketing()} and
 * {@link #settings(Ticketing)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractHttpIT {
    /** The seller who creates the tests' events. */
    static final User SELLER = User.seller(3);
    /** How long a test waits for anything that travels over HTTP. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** The one origin {@link #defaults(Ticketing)} allows cross-origin requests from. */
    static final String ALLOWED_ORIGIN = "https://shop.example";

    Ticketing ticketing;
    TicketingHttp http;
    TestServer server;
    ApiClient api;

    /** Starts this container with {@code http} mounted under {@code /api}. */
    abstract TestServer start(TicketingHttp http) throws Exception;

    /** The {@code Ticketing} the shared server serves: the in-memory defaults unless a class needs another. */
    Ticketing newTicketing() throws Exception {
        return Ticketing.builder().build();
    }

    /** The settings of the shared server: {@link #defaults(Ticketing)} unless a class needs others. */
    TicketingHttp.Builder settings(Ticketing ticketing) {
        return defaults(ticketing);
    }

    /** The tests' principals, 300 ms heartbeats, a 20 s slow-client timeout and {@link #ALLOWED_ORIGIN}. */
    static TicketingHttp.Builder defaults(Ticketing ticketing) {
        return TicketingHttp.builder(ticketing)
                .principalResolver(TestPrincipals.resolver())
                .heartbeatInterval(Duration.ofMillis(300))
                .slowClientTimeout(Duration.ofSeconds(20))
                .allowedOrigins(ALLOWED_ORIGIN);
    }

    @BeforeAll
    void startServer() throws Exception {
        ticketing = newTicketing();
        http = settings(ticketing).build();
        server = start(http);
        api = new ApiClient(server);
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
        ticketing.close();
    }

    /** Creates {@code draft} as {@link #SELLER} and returns the event's id. */
    long newEvent(EventDraft draft) {
        return ticketing.events().create(SELLER, draft).id();
    }

    /** The event's version in the store now. */
    long version(long eventId) {
        return ticketing.statistics().current(eventId, null).version();
    }

    /** Waits until the server holds exactly {@code expected} streams of the event. */
    void awaitStreams(long eventId, int expected) {
        Await.until(() -> http.connectionStatistics().events().getOrDefault(eventId, 0) == expected, WAIT,
                expected + " streams of event " + eventId);
    }

    /**
     * Streams subsections A:1 and B:1 of the event to a live reader and A:1 to a reader that stalls, runs 200
     * concurrent reservations, confirmations and cancellations, and asserts that both readers, having applied
     * {@code seat_map} and {@code seat_changes} in order, end equal to the seats endpoint, each within
     * {@code wait} per read.
     */
    void assertSeatMapStreamsEndOnTheSeatsEndpointUnderChurn(long id, Duration wait) throws Exception {
        try (SseRecorder live = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1,B:1"));
             SseRecorder stalled = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))) {
            SeatMapView liveView = new SeatMapView(live);
            SeatMapView stalledView = new SeatMapView(stalled);
            long start = version(id);
            liveView.readUntil(start, wait);
            stalledView.readUntil(start, wait);
            stalled.pause();
            SeatChurn.run(ticketing, id, 200);
            long last = version(id);
            liveView.readUntil(last, wait);
            stalled.resume();
            stalledView.readUntil(last, wait);
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
